import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StoredCloseEvent } from '../ingest/close-event.js';
import type { BatchWriteResult, DropReportRow } from './event-store.js';
import type { WriterReply, WriterRequest } from './writer-protocol.js';

interface InFlight {
  resolve: (result: BatchWriteResult) => void;
  reject: (error: Error) => void;
  size: number;
}

// The worker runs from the same kind of file as this one: .ts under tsx, .js when built.
const RUNNING_FROM_SOURCE = extname(fileURLToPath(import.meta.url)) === '.ts';
const WORKER_URL = new URL(`./write-worker${RUNNING_FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);

/** Worker threads do not inherit tsx's loader hooks, so from source the thread registers them first. */
function spawnWorker(workerData: unknown): Worker {
  if (!RUNNING_FROM_SOURCE) return new Worker(WORKER_URL, { workerData });
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/**
 * The collector's side of the writer thread. `write` resolves once the batch is
 * committed (never before: that is what an acknowledgement means) and rejects if
 * the transaction failed or the thread died; a dead thread is replaced on the next write.
 */
export class ThreadedWriter {
  private worker: Worker | null = null;
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 1;
  private idleWaiters: Array<() => void> = [];
  /** Committed events since start. */
  committedEvents = 0;
  /** Transactions the writer thread has committed. */
  transactions = 0;

  constructor(private readonly path: string) {}

  /** Batches sent to the writer thread and not yet answered. */
  get pendingBatches(): number {
    return this.inFlight.size;
  }

  write(events: ReadonlyArray<StoredCloseEvent>, drop: DropReportRow | null = null): Promise<BatchWriteResult> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject, size: events.length });
      worker.postMessage({ type: 'write', id, events, drop } satisfies WriterRequest);
    });
  }

  /** Resolves when every batch sent so far is answered. */
  drain(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Waits for in-flight batches, then closes the thread's connection. */
  async close(): Promise<void> {
    await this.drain();
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ type: 'close' } satisfies WriterRequest);
    });
  }

  private start(): Worker {
    const worker = spawnWorker({ path: this.path });
    worker.on('message', (reply: WriterReply) => this.onReply(reply));
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      this.failAll(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.inFlight.size > 0) fail(new Error(`the writer thread exited (code ${code})`));
      else if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  private onReply(reply: WriterReply): void {
    if (reply.type === 'closed') return;
    const waiting = this.inFlight.get(reply.id);
    if (waiting === undefined) return;
    this.inFlight.delete(reply.id);
    if (reply.type === 'written') {
      this.transactions = reply.transactions;
      this.committedEvents += reply.result.accepted;
      waiting.resolve(reply.result);
    } else {
      waiting.reject(new Error(reply.message));
    }
    if (this.inFlight.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private failAll(error: Error): void {
    for (const waiting of this.inFlight.values()) waiting.reject(error);
    this.inFlight.clear();
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

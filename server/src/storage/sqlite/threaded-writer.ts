import type { Worker } from 'node:worker_threads';
import type { EventWriter, WriterHealth } from '../storage.js';
import { WriteFailedError, WriterBusyError } from '../errors.js';
import { rollUpTarget } from '../rollup-watermark.js';
import type { BatchWriteResult, DropReportRow, StoredCloseEvent, StoredOpen } from '../types.js';
import { spawnStorageWorker } from './spawn-worker.js';
import { newGateBuffer } from './wal-gate.js';
import type { WriterReply, WriterRequest } from './writer-protocol.js';

interface InFlight {
  kind: 'write' | 'ping' | 'maintain';
  /** Estimated bytes of a write's events, counted against the queue's byte bound. */
  bytes: number;
  resolve: (result: BatchWriteResult | number | null) => void;
  reject: (error: Error) => void;
}

export interface ThreadedWriterOptions {
  /**
   * Heap limit of the writer thread, in MB. A thread that exceeds it dies alone (the
   * batches it held get an error, a new thread takes over) instead of taking the
   * collector's process down. Default 512.
   */
  heapLimitMb?: number;
  /** Most batches waiting for the writer; past it `write` refuses with WriterBusyError. Default 2000. */
  maxQueuedBatches?: number;
  /** Most bytes of events waiting for the writer (estimated). Default 64 MiB. */
  maxQueuedBytes?: number;
  /** Distinct routes kept per service and hour; more are stored as `(other)`. Default 500. */
  maxRoutesPerServiceHour?: number;
  /** The WAL gate shared with the read threads (see wal-gate.ts). Default: a gate of its own. */
  walGate?: SharedArrayBuffer;
  /** WAL size past which new reads wait for it to start over, in bytes. Default 128 MiB. */
  walLimitBytes?: number;
  /** Receives every failure with its full detail (for the log; clients and probes get the short reason). */
  onFailure?: (reason: string, error: unknown) => void;
}

/** Longest wait between attempts to replace a writer thread that keeps dying. */
const MAX_RESTART_DELAY_MS = 30_000;

/** Why a writer thread died, from the error it emitted. */
function describeThreadError(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return 'the writer thread ran out of memory (see WRITER_HEAP_MB)';
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return `the writer thread failed: ${describeStorageFailure(code)}`;
  return 'the writer thread failed';
}

/** SQLite's error codes as an operator reads them; anything else is "the database refused the write". */
export function describeStorageFailure(code: string | null): string {
  if (code === null) return 'the database refused the write';
  if (code.startsWith('SQLITE_FULL')) return 'the disk is full';
  if (code.startsWith('SQLITE_READONLY')) return 'the database file is read-only';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'the database is locked by another process';
  if (code.startsWith('SQLITE_IOERR')) return 'the disk reported an I/O error';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'the database file cannot be opened';
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return 'the database file is damaged';
  return 'the database refused the write';
}

/**
 * The collector's side of the writer thread. `write` resolves once the batch is
 * committed (never before: that is what an acknowledgement means) and rejects if the
 * transaction failed or the thread died. A thread that dies is replaced at once (with
 * a growing delay if replacements keep dying), and `health` says what happened.
 */
export class ThreadedWriter implements EventWriter {
  private worker: Worker | null = null;
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 1;
  private idleWaiters: Array<() => void> = [];
  private closing = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private deathsInARow = 0;
  private restarts = 0;
  private failuresInARow = 0;
  private lastFailure: string | null = null;
  /** Committed events since start. */
  committedEvents = 0;
  /** Transactions the writer thread has committed. */
  transactions = 0;

  constructor(
    private readonly path: string,
    private readonly options: ThreadedWriterOptions = {},
  ) {}

  /** Batches sent to the writer thread and not yet answered. */
  get pendingBatches(): number {
    return this.queuedBatches;
  }

  /** Batches and estimated bytes of events waiting for the writer. */
  private queuedBatches = 0;
  private queuedBytes = 0;

  /**
   * Resolves once committed. Rejects at once with WriterBusyError when the queue is full,
   * so a burst beyond what the disk takes is refused (and retried by the SDK) instead of
   * growing the collector's memory.
   */
  write(events: ReadonlyArray<StoredCloseEvent>, drop: DropReportRow | null = null): Promise<BatchWriteResult> {
    const maxBatches = this.options.maxQueuedBatches ?? 2000;
    const maxBytes = this.options.maxQueuedBytes ?? 64 * 1024 * 1024;
    const bytes = estimateBytes(events);
    if (this.queuedBatches >= maxBatches) return Promise.reject(new WriterBusyError(`${this.queuedBatches} batches waiting`));
    if (this.queuedBatches > 0 && this.queuedBytes + bytes > maxBytes) {
      return Promise.reject(new WriterBusyError(`${Math.round(this.queuedBytes / 1024 / 1024)} MiB waiting`));
    }
    return this.send('write', (id) => ({ type: 'write', id, events, drop }), bytes) as Promise<BatchWriteResult>;
  }

  /**
   * Runs one maintenance statement on the writer's connection, queued behind the writes
   * already sent and before the ones sent later; resolves with the rows it changed. A
   * failure rejects it without counting against the writer's health (ingest may be fine).
   */
  exec(statement: { sql: string; values: unknown[] }): Promise<number> {
    return this.send('maintain', (id) => ({ type: 'exec', id, sql: statement.sql, values: statement.values })) as Promise<number>;
  }

  /**
   * Stores open notices and matches them to the reconnect-advising closes they answer,
   * in one transaction between group commits; resolves with how many were new.
   */
  writeOpens(opens: ReadonlyArray<StoredOpen>): Promise<number> {
    return this.send('maintain', (id) => ({ type: 'opens', id, opens })) as Promise<number>;
  }

  /** Hour and day rollups summed from minute rows up to `until` (default: the last hour over); resolves with the watermark. */
  rollUp(until: number = rollUpTarget(Date.now())): Promise<number> {
    return this.send('maintain', (id) => ({ type: 'rollup', id, until })) as Promise<number>;
  }

  /** One step of giving free pages back to the file system; resolves with the bytes given back (0: none left). */
  reclaim(pages: number): Promise<number> {
    return this.send('maintain', (id) => ({ type: 'reclaim', id, pages })) as Promise<number>;
  }

  /**
   * Resolves once the writer thread runs and answers on its connection, however long a
   * loaded machine takes to start it; rejects when the thread cannot start. The collector
   * waits for it at start, so its readiness check never times out on a thread still loading.
   */
  async started(): Promise<void> {
    await this.send('ping', (id) => ({ type: 'ping', id }));
  }

  /**
   * Whether writes can succeed now: the thread answers a query on its connection within
   * `timeoutMs`, and the last write did not fail. A write failure stays reported until
   * a later write succeeds, because only a write proves the disk takes writes again.
   */
  async health(timeoutMs = 2000): Promise<WriterHealth> {
    const base = { restarts: this.restarts, lastFailure: this.lastFailure };
    if (this.closing) return { ok: false, reason: 'the collector is shutting down', ...base };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.send('ping', (id) => ({ type: 'ping', id })),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`the writer thread did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      const reason = error instanceof WriteFailedError ? error.reason : error instanceof Error ? error.message : String(error);
      return { ok: false, reason, restarts: this.restarts, lastFailure: this.lastFailure };
    } finally {
      clearTimeout(timer);
    }
    if (this.failuresInARow > 0) {
      return { ok: false, reason: `the last ${this.failuresInARow} write(s) failed: ${this.lastFailure ?? 'unknown'}`, ...base };
    }
    return { ok: true, reason: null, restarts: this.restarts, lastFailure: this.lastFailure };
  }

  /** Resolves when every batch sent so far is answered. */
  drain(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Waits for in-flight batches, then closes the thread's connection. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    await this.drain();
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ type: 'close' } satisfies WriterRequest);
    });
  }

  private send(kind: InFlight['kind'], request: (id: number) => WriterRequest, bytes = 0): Promise<BatchWriteResult | number | null> {
    if (this.closing) return Promise.reject(new Error('the writer is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    if (kind === 'write') {
      this.queuedBatches += 1;
      this.queuedBytes += bytes;
    }
    return new Promise((resolve, reject) => {
      this.inFlight.set(id, { kind, bytes, resolve, reject });
      worker.postMessage(request(id));
    });
  }

  private start(): Worker {
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const worker = spawnStorageWorker(
      'write-worker',
      {
        path: this.path,
        maxRoutesPerServiceHour: this.options.maxRoutesPerServiceHour ?? 500,
        walGate: (this.options.walGate ??= newGateBuffer()),
        walLimitBytes: this.options.walLimitBytes ?? 128 * 1024 * 1024,
      },
      { maxOldGenerationSizeMb: this.options.heapLimitMb ?? 512 },
    );
    worker.on('message', (reply: WriterReply) => this.onReply(reply));
    worker.on('error', (error) => this.onDeath(worker, describeThreadError(error), error));
    worker.on('exit', (code) => this.onDeath(worker, `the writer thread stopped unexpectedly (exit code ${code})`, null));
    this.worker = worker;
    return worker;
  }

  /** A thread that was not asked to close has died: fail what it held and replace it. */
  private onDeath(worker: Worker, reason: string, error: unknown): void {
    if (this.worker !== worker) return;
    this.options.onFailure?.(reason, error);
    this.worker = null;
    this.restarts += 1;
    this.deathsInARow += 1;
    this.lastFailure = reason;
    this.failAll(new Error(reason));
    if (this.closing) return;
    const delay = Math.min(MAX_RESTART_DELAY_MS, 100 * 2 ** (this.deathsInARow - 1));
    this.restartTimer = setTimeout(() => {
      if (this.worker === null && !this.closing) this.start();
    }, this.deathsInARow === 1 ? 0 : delay);
    this.restartTimer.unref();
  }

  private onReply(reply: WriterReply): void {
    if (reply.type === 'closed') return;
    const waiting = this.inFlight.get(reply.id);
    if (waiting === undefined) return;
    this.forget(reply.id, waiting);
    this.deathsInARow = 0;
    if (reply.type === 'written') {
      this.transactions = reply.transactions;
      this.committedEvents += reply.result.accepted;
      this.failuresInARow = 0;
      waiting.resolve(reply.result);
    } else if (reply.type === 'pong') {
      waiting.resolve(null);
    } else if (reply.type === 'done') {
      waiting.resolve(reply.changes);
    } else {
      const reason = describeStorageFailure(reply.code);
      if (waiting.kind === 'write') this.failuresInARow += 1;
      this.lastFailure = reason;
      this.options.onFailure?.(reason, reply.message);
      waiting.reject(new WriteFailedError(reason, reply.message));
    }
    if (this.inFlight.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private forget(id: number, job: InFlight): void {
    this.inFlight.delete(id);
    if (job.kind === 'write') {
      this.queuedBatches -= 1;
      this.queuedBytes -= job.bytes;
    }
  }

  private failAll(error: Error): void {
    for (const [id, waiting] of [...this.inFlight]) {
      this.forget(id, waiting);
      waiting.reject(error);
    }
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

/** About what a batch of events weighs in memory: strings dominate, the rest is a fixed share. */
function estimateBytes(events: ReadonlyArray<StoredCloseEvent>): number {
  let bytes = 0;
  for (const e of events) {
    bytes += 256 + e.eventId.length + e.reason.length + e.reasonTemplate.length + e.service.length + e.instance.length + e.route.length;
    for (const key in e.labels) bytes += key.length + (e.labels[key]?.length ?? 0);
  }
  return 2 * bytes;
}

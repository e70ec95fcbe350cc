import type { Worker } from 'node:worker_threads';
import { ReadTimeoutError } from '../errors.js';
import type { Row } from '../sql/row.js';
import type { Sql } from '../sql/template.js';
import type { ReadReply, ReadRequest } from './read-protocol.js';
import { spawnStorageWorker } from './spawn-worker.js';
import { newGateBuffer } from './wal-gate.js';


export interface ReadPoolOptions {
  /** Read worker threads (each one connection). */
  size: number;
  /** Budget of one read, from the moment it is asked, in ms. */
  budgetMs: number;
  /** Receives failures of the workers themselves (for the log). */
  onFailure?: (message: string, error: unknown) => void;
  /** Row mappers the workers may apply (name -> module URL, see RowMapperModule). */
  mappers?: Record<string, string>;
  /**
   * Niceness of the worker threads on Linux, 0 (default) to 19. Linux schedules each
   * thread by its own nice value, so under CPU contention the writer and the event loop
   * (ingest acknowledgements) get the CPU first; an idle CPU still runs reads at full speed.
   */
  nice?: number;
  /** The WAL gate shared with the writer (see wal-gate.ts). Default: one that never closes. */
  walGate?: SharedArrayBuffer;
}

/** What a mapped read gives back: the text, and how many rows went into it. */
export interface MappedRows {
  text: string;
  rows: number;
}

interface Job {
  id: number;
  sql: string;
  values: unknown[];
  raw: boolean;
  mapper: string | undefined;
  deadline: number;
  settled: boolean;
  timer: NodeJS.Timeout;
  resolve: (rows: Row[] | unknown[][] | MappedRows) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker | null;
  job: Job | null;
  closing: boolean;
}

/**
 * Past its deadline a read is answered with ReadTimeoutError at once; the worker ends
 * the statement at its next row check (a final sort may still run a moment), and
 * takes no new read before that.
 */
const ANSWER_GRACE_MS = 50;

/**
 * Read-only connections on worker threads, so reads never run on the event loop. A read
 * waits for a free worker; its budget covers the wait and the query together.
 */
export class ReadPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly options: ReadPoolOptions,
  ) {
    this.slots = Array.from({ length: Math.max(1, options.size) }, () => ({ worker: null, job: null, closing: false }));
  }

  /** Reads waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Runs one statement; rejects with ReadTimeoutError past the budget. */
  run(query: Sql): Promise<Row[]> {
    return this.submit(query, false) as Promise<Row[]>;
  }

  /** Like `run`, rows as arrays in the statement's column order. */
  runRaw(query: Sql): Promise<unknown[][]> {
    return this.submit(query, true) as Promise<unknown[][]>;
  }

  /** Runs one statement and maps its raw rows to text in the worker (no rows cross threads). */
  runMapped(query: Sql, mapper: string): Promise<MappedRows> {
    return this.submit(query, true, mapper) as Promise<MappedRows>;
  }

  private submit(query: Sql, raw: boolean, mapper?: string): Promise<Row[] | unknown[][] | MappedRows> {
    if (this.closed) return Promise.reject(new Error('the read pool is closed'));
    const budgetMs = this.options.budgetMs;
    return new Promise<Row[] | unknown[][] | MappedRows>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        sql: query.sql,
        values: query.values,
        raw,
        mapper,
        deadline: Date.now() + budgetMs,
        settled: false,
        resolve,
        reject,
        timer: setTimeout(() => this.settle(job, new ReadTimeoutError(budgetMs)), budgetMs + ANSWER_GRACE_MS),
      };
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Ends every worker once its current read is done (bounded by the budget). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new Error('the collector is shutting down'));
    await Promise.all(
      this.slots.map(async (slot) => {
        const worker = slot.worker;
        if (worker === null) return;
        slot.closing = true;
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.postMessage({ type: 'close' });
        await exited;
      }),
    );
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== null || this.closed) continue;
      let job = this.queue.shift();
      while (job !== undefined && job.settled) job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      const worker = slot.worker ?? this.start(slot);
      const request: ReadRequest = { type: 'read', id: job.id, sql: job.sql, values: job.values, deadline: job.deadline, raw: job.raw };
      if (job.mapper !== undefined) request.mapper = job.mapper;
      worker.postMessage(request);
    }
  }

  private start(slot: Slot): Worker {
    const worker = spawnStorageWorker('read-worker', { path: this.path, mappers: this.options.mappers ?? {}, nice: this.options.nice ?? 0, walGate: (this.options.walGate ??= newGateBuffer()) });
    worker.on('message', (reply: ReadReply) => {
      const job = slot.job;
      if (job === null || job.id !== reply.id) return;
      slot.job = null;
      if (reply.type === 'rows') this.settle(job, null, reply.rows);
      else if (reply.type === 'mapped') this.settle(job, null, { text: reply.text, rows: reply.rows });
      else if (reply.overBudget) this.settle(job, new ReadTimeoutError(this.options.budgetMs));
      else this.settle(job, new Error(`the read failed (${reply.code ?? 'error'}): ${reply.message}`));
      this.dispatch();
    });
    const died = (error: unknown): void => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      if (slot.closing) return;
      this.options.onFailure?.('a read worker stopped; a new one takes its place', error);
      const job = slot.job;
      slot.job = null;
      if (job !== null) this.settle(job, new Error('the read worker stopped while answering; retry the request'));
      this.dispatch();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`exit code ${code}`)));
    slot.worker = worker;
    return worker;
  }

  private settle(job: Job, error: Error | null, rows: Row[] | unknown[][] | MappedRows = []): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (error === null) job.resolve(rows);
    else job.reject(error);
  }
}

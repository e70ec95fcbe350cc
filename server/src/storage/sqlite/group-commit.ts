import type { BatchWriteResult, DropReportRow, StoredCloseEvent } from '../types.js';
import type { EventStore } from './event-store.js';

interface PendingBatch {
  events: ReadonlyArray<StoredCloseEvent>;
  drop: DropReportRow | null;
  resolve: (result: BatchWriteResult) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /**
   * Most events one transaction takes before yielding to the event loop (a request's
   * batch is never split, so a transaction may hold one batch more than this).
   * Default 5000: about 10 ms of writing, so other requests are never starved.
   */
  maxEventsPerTransaction?: number;
}

/**
 * Group commit: batches from concurrent requests wait for the next turn of the event
 * loop and are written together in one transaction, so one fsync serves many
 * requests. A request's promise resolves only after its transaction committed.
 */
export class GroupCommitter {
  private queue: PendingBatch[] = [];
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];
  private readonly maxEvents: number;
  /** Committed events since start, for /metrics. */
  committedEvents = 0;
  transactions = 0;

  constructor(private readonly store: EventStore, options: GroupCommitOptions = {}) {
    this.maxEvents = options.maxEventsPerTransaction ?? 5000;
  }

  /** Queues a batch; resolves with its counts once committed, rejects if the commit failed. */
  write(events: ReadonlyArray<StoredCloseEvent>, drop: DropReportRow | null = null): Promise<BatchWriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, drop, resolve, reject });
      this.schedule();
    });
  }

  /** Batches waiting for a transaction. */
  get pendingBatches(): number {
    return this.queue.length;
  }

  /** Resolves when everything queued so far is committed (or failed). */
  drain(): Promise<void> {
    if (this.queue.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    let take = 0;
    let events = 0;
    while (take < this.queue.length && (take === 0 || events < this.maxEvents)) {
      events += (this.queue[take] as PendingBatch).events.length;
      take += 1;
    }
    const group = this.queue.splice(0, take);
    if (group.length > 0) {
      try {
        const results = this.store.writeBatches(group.map((b) => b.events), group.map((b) => b.drop));
        this.transactions += 1;
        group.forEach((b, i) => {
          const result = results[i] as BatchWriteResult;
          this.committedEvents += result.accepted;
          b.resolve(result);
        });
      } catch (error) {
        for (const b of group) b.reject(error);
      }
    }
    if (this.queue.length > 0) this.schedule();
    else for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

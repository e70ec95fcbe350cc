/**
 * Batching, retrying, bounded delivery of events to the collector. Shared by the Node
 * and browser SDKs: it only needs `fetch` and timers.
 *
 * Invariants:
 * - an event is in exactly one place: the queue, an in-flight batch, or gone (delivered,
 *   rejected by the collector, or dropped and counted);
 * - a batch is retried with the same events, hence the same ids, so the collector can
 *   deduplicate a retry whose first attempt did arrive;
 * - one batch is in flight at a time (except on page unload), which keeps ordering and
 *   stops an instance from hammering a collector that is struggling.
 */
import { utf8ByteLength } from '../byte-length.js';
import {
  ClosewatchError,
  safeReport,
  summarizeRejected,
  type ClosewatchErrorDetails,
  type ClosewatchErrorKind,
  type ErrorHandler,
  type RejectedEvent,
} from '../errors.js';
import type { ClosewatchEvent } from '../event.js';
import { EVENT_LIMITS } from '../event-limits.js';
import { startTimer, stopTimer, type TimerHandle } from '../timers.js';
import { backoffDelay, retryAfterDelay } from './backoff.js';
import { BoundedQueue } from './bounded-queue.js';
import { postBatch, type FetchLike, type PostOutcome } from './post-batch.js';

/** How long `flush()` waits by default before giving up (events stay queued). */
export const DEFAULT_FLUSH_TIMEOUT_MS = 10_000;
/** How long `close()` waits by default for the queue to drain. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

/** Everything `Delivery` needs, already validated and defaulted by the SDK entry points. */
export interface DeliveryOptions {
  /** Full URL of `POST /api/v1/events` (or `/api/v1/opens`). */
  endpoint: string;
  /** Name of the body's list: `events` (the default) or `opens`. */
  field?: 'events' | 'opens';
  apiKey: string;
  /** `meta.sdk`, e.g. `closewatch-node/0.1.0`. */
  sdk: string;
  batchSize: number;
  flushIntervalMs: number;
  maxQueue: number;
  /** Upper bound of one request body; browsers cap keepalive bodies at 64 KiB. */
  maxBatchBytes: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  requestTimeoutMs: number;
  keepalive: boolean;
  fetch: FetchLike;
  onError: ErrorHandler;
  /** Source of jitter; `Math.random` unless a test needs determinism. */
  random?: () => number;
}

/** Counters since the delivery was created. */
export interface DeliveryStats {
  /** Events waiting in the queue. */
  queued: number;
  /** Events in a batch being sent or waiting to be retried. */
  inFlight: number;
  /** Events the collector accepted (duplicates included). */
  delivered: number;
  /** Events the collector refused (rejected fields, 4xx). */
  failed: number;
  /** Events dropped because the queue was full, or left over by `close()`. */
  dropped: number;
  /** HTTP requests made, retries included. */
  requests: number;
}

interface QueuedEvent {
  seq: number;
  id: string;
  json: string;
  bytes: number;
  /** In the queue, not yet taken into a batch: only then can it be cancelled. */
  queued: boolean;
  /** Cancelled while queued: skipped when batches are taken, never sent. */
  cancelled: boolean;
}

/** What `enqueue` returns, for `cancel`. */
export type QueuedHandle = object;

interface Batch {
  events: QueuedEvent[];
  bytes: number;
  attempts: number;
  /** Drops this batch reports as `meta.dropped`; claimed at each attempt. */
  dropped: number;
  retryTimer: TimerHandle | undefined;
  /** The wait is one the collector asked for (Retry-After): flush() must not cut it short. */
  serverDelay: boolean;
}

interface FlushWaiter {
  /** Resolve once every event with a sequence number up to this one is settled. */
  targetSeq: number;
  resolve: () => void;
  timer: TimerHandle | undefined;
}

/** A bounded queue of events and the loop that ships them, one batch at a time. */
export class Delivery {
  private readonly options: DeliveryOptions;
  private readonly queue: BoundedQueue<QueuedEvent>;
  private readonly inFlight = new Set<Batch>();
  private readonly waiters = new Set<FlushWaiter>();
  private readonly envelopeBytes: number;
  private readonly random: () => number;
  private batchLimit: number;
  private lastSeq = 0;
  private flushTimer: TimerHandle | undefined;
  /** The flush interval elapsed: send what is queued even if it is less than a batch. */
  private due = false;
  private closing = false;
  private stopped = false;
  private closePromise: Promise<void> | undefined;
  /** Drops not yet carried by any batch's `meta.dropped`. */
  private unclaimedDrops = 0;
  /** Drops not yet reported through onError. */
  private unreportedDrops = 0;
  private sendingBytes = 0;
  /** Cancelled events still in the queue (they are skipped, never sent). */
  private cancelledQueued = 0;
  private readonly field: 'events' | 'opens';
  private readonly counters = { delivered: 0, failed: 0, dropped: 0, requests: 0 };

  constructor(options: DeliveryOptions) {
    this.options = options;
    this.queue = new BoundedQueue(options.maxQueue);
    this.batchLimit = options.batchSize;
    this.random = options.random ?? Math.random;
    this.field = options.field ?? 'events';
    this.envelopeBytes = utf8ByteLength(`{"${this.field}":[],"meta":{"sdk":${JSON.stringify(options.sdk)},"dropped":0000000000}}`);
  }

  /**
   * Queues one event. Never throws; after `close()` events are discarded. Returns a
   * handle for `cancel`, or undefined when the event was discarded.
   */
  enqueue<T extends Pick<ClosewatchEvent, 'id'>>(event: T): QueuedHandle | undefined {
    if (this.closing) return undefined;
    const json = JSON.stringify(event);
    const item: QueuedEvent = { seq: ++this.lastSeq, id: event.id, json, bytes: utf8ByteLength(json), queued: true, cancelled: false };
    const evicted = this.queue.push(item);
    if (evicted !== undefined) {
      evicted.queued = false;
      if (evicted.cancelled) this.cancelledQueued--;
      else {
        this.unclaimedDrops++;
        this.unreportedDrops++;
        this.counters.dropped++;
      }
      this.checkWaiters();
    }
    this.pump();
    return item;
  }

  /**
   * Withdraws a queued event that is no longer worth sending. An event already taken
   * into a batch is sent anyway: a retry must repeat exactly what the first attempt sent.
   */
  cancel(handle: QueuedHandle): void {
    const item = handle as QueuedEvent;
    if (!item.queued || item.cancelled) return;
    item.cancelled = true;
    this.cancelledQueued++;
    this.checkWaiters();
  }

  /**
   * Sends everything queued now and resolves once it has been delivered, refused by
   * the collector, or `timeoutMs` has passed (the events then stay queued and keep
   * being retried). Never rejects. A backoff after a network error or 5xx is cut short;
   * a Retry-After the collector asked for is honoured.
   */
  flush(timeoutMs: number = DEFAULT_FLUSH_TIMEOUT_MS): Promise<void> {
    this.skipCancelled();
    if (this.stopped || (this.queue.size === 0 && this.inFlight.size === 0)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter: FlushWaiter = { targetSeq: this.lastSeq, resolve, timer: undefined };
      // Ref'd on purpose: the host is awaiting this, so the process should live until
      // the flush settles, but never longer than the timeout it chose.
      waiter.timer = startTimer(() => this.release(waiter), timeoutMs, true);
      this.waiters.add(waiter);
      for (const batch of this.inFlight) {
        if (batch.retryTimer !== undefined && !batch.serverDelay) this.retryNow(batch);
      }
      this.pump();
    });
  }

  /**
   * Sends every queued batch at once without waiting for answers, within `budgetBytes`
   * of request bodies (the browser's keepalive quota, shared with requests already in
   * flight). For page unload, when there is no later.
   */
  sendAllNow(budgetBytes: number): void {
    if (this.stopped) return;
    let budget = budgetBytes - this.sendingBytes;
    for (const batch of this.inFlight) {
      if (batch.retryTimer !== undefined && batch.bytes <= budget) {
        budget -= batch.bytes;
        this.retryNow(batch);
      }
    }
    while (this.queue.size > 0 && budget > this.envelopeBytes) {
      this.skipCancelled();
      if (this.queue.size === 0) break;
      const batch = this.takeBatch(Math.min(this.options.maxBatchBytes, budget));
      if (batch.bytes > budget) {
        this.queue.unshiftAll(batch.events);
        break;
      }
      budget -= batch.bytes;
      this.send(batch);
    }
  }

  /**
   * Delivers what is queued (like `flush(timeoutMs)`), then stops: timers are cleared,
   * later events are discarded, and whatever is still undelivered is counted and
   * reported as `undelivered`. Idempotent; never rejects.
   */
  close(timeoutMs: number = DEFAULT_CLOSE_TIMEOUT_MS): Promise<void> {
    if (this.closePromise !== undefined) return this.closePromise;
    this.closing = true;
    this.closePromise = this.flush(timeoutMs).then(() => this.stop());
    return this.closePromise;
  }

  stats(): DeliveryStats {
    let inFlight = 0;
    for (const batch of this.inFlight) inFlight += batch.events.length;
    return { queued: this.queue.size - this.cancelledQueued, inFlight, ...this.counters };
  }

  private stop(): void {
    this.stopped = true;
    stopTimer(this.flushTimer);
    this.flushTimer = undefined;
    let left = this.queue.drain().filter((event) => !event.cancelled).length;
    this.cancelledQueued = 0;
    for (const batch of this.inFlight) {
      stopTimer(batch.retryTimer);
      left += batch.events.length;
    }
    this.inFlight.clear();
    for (const waiter of this.waiters) this.release(waiter);
    this.reportDrops();
    if (left > 0) {
      this.counters.dropped += left;
      this.report('undelivered', `closed with ${left} events undelivered`, { dropped: left });
    }
  }

  /** Removes the cancelled events at the head of the queue, so that it starts with one to send. */
  private skipCancelled(): void {
    for (let head = this.queue.peek(); head?.cancelled === true; head = this.queue.peek()) {
      this.queue.shift();
      head.queued = false;
      this.cancelledQueued--;
    }
  }

  private pump(): void {
    if (this.stopped) return;
    this.skipCancelled();
    if (this.queue.size === 0) {
      this.due = false;
      return;
    }
    if (this.inFlight.size === 0 && this.isDue()) this.send(this.takeBatch(this.options.maxBatchBytes));
    if (this.queue.size === 0) {
      // The interval counts from the oldest waiting event; that one just left.
      stopTimer(this.flushTimer);
      this.flushTimer = undefined;
    } else if (this.flushTimer === undefined) {
      this.flushTimer = startTimer(() => {
        this.flushTimer = undefined;
        this.due = true;
        this.pump();
      }, this.options.flushIntervalMs);
    }
  }

  private isDue(): boolean {
    if (this.due || this.closing || this.queue.size >= this.batchLimit) return true;
    const head = this.queue.peek();
    for (const waiter of this.waiters) if (head !== undefined && waiter.targetSeq >= head.seq) return true;
    return false;
  }

  private takeBatch(maxBytes: number): Batch {
    const events: QueuedEvent[] = [];
    let bytes = this.envelopeBytes;
    while (events.length < this.batchLimit) {
      this.skipCancelled();
      const next = this.queue.peek();
      if (next === undefined) break;
      const added = next.bytes + (events.length > 0 ? 1 : 0);
      // Always take one: an event larger than the limit still deserves one attempt.
      if (events.length > 0 && bytes + added > maxBytes) break;
      this.queue.shift();
      next.queued = false;
      events.push(next);
      bytes += added;
    }
    return { events, bytes, attempts: 0, dropped: 0, retryTimer: undefined, serverDelay: false };
  }

  private send(batch: Batch): void {
    this.inFlight.add(batch);
    void this.attempt(batch);
  }

  private retryNow(batch: Batch): void {
    stopTimer(batch.retryTimer);
    batch.retryTimer = undefined;
    void this.attempt(batch);
  }

  private async attempt(batch: Batch): Promise<void> {
    if (this.stopped) return;
    batch.retryTimer = undefined;
    batch.attempts++;
    // A batch claims the drops so far at its first attempt only: a retry must repeat
    // exactly what the first attempt said, because the collector may have stored that
    // attempt without our hearing back (it then ignores the retry's report). The
    // collector refuses a whole batch whose meta.dropped is over its limit; the rest
    // waits for the next one.
    if (batch.attempts === 1) {
      const drops = batch.dropped + this.unclaimedDrops;
      batch.dropped = Math.min(drops, EVENT_LIMITS.maxDropped);
      this.unclaimedDrops = drops - batch.dropped;
    }
    this.reportDrops();
    const events = batch.events.map((event) => event.json).join(',');
    const body = `{"${this.field}":[${events}],"meta":{"sdk":${JSON.stringify(this.options.sdk)},"dropped":${batch.dropped}}}`;
    this.counters.requests++;
    this.sendingBytes += batch.bytes;
    let outcome: PostOutcome;
    try {
      outcome = await postBatch({
        fetch: this.options.fetch,
        endpoint: this.options.endpoint,
        apiKey: this.options.apiKey,
        body,
        ids: batch.events.map((event) => event.id),
        keepalive: this.options.keepalive,
        timeoutMs: this.options.requestTimeoutMs,
      });
    } finally {
      this.sendingBytes -= batch.bytes;
    }
    // close() has already counted this batch as undelivered.
    if (this.stopped || !this.inFlight.has(batch)) return;
    try {
      this.handle(batch, outcome);
    } catch (error) {
      this.report('internal', 'delivery failed unexpectedly', { cause: error });
      this.settle(batch);
    }
  }

  private handle(batch: Batch, outcome: PostOutcome): void {
    const count = batch.events.length;
    switch (outcome.kind) {
      case 'ok': {
        const rejected = outcome.rejected.length;
        this.counters.delivered += count - rejected;
        if (rejected > 0) {
          this.counters.failed += rejected;
          this.report('events_rejected', `collector rejected ${rejected} of ${count} events: ${summarizeRejected(outcome.rejected)}`, {
            status: outcome.status,
            rejected: outcome.rejected,
          });
        }
        this.settle(batch);
        return;
      }
      case 'retry': {
        const delay =
          outcome.retryAfterMs !== undefined
            ? retryAfterDelay(outcome.retryAfterMs, this.random)
            : backoffDelay(batch.attempts, this.options.retryBaseDelayMs, this.options.retryMaxDelayMs, this.random);
        batch.serverDelay = outcome.retryAfterMs !== undefined;
        batch.retryTimer = startTimer(() => void this.attempt(batch), delay);
        const status = outcome.status === undefined ? {} : { status: outcome.status };
        this.report('delivery_retry', `${outcome.message}; retrying ${count} events in ${delay} ms`, {
          ...status,
          retryInMs: delay,
          cause: outcome.cause,
        });
        return;
      }
      case 'too_large':
        if (count > 1) {
          // The events are probably fine, the batch is not: resend them in smaller
          // batches from now on, ahead of everything queued since.
          this.batchLimit = Math.max(1, Math.floor(count / 2));
          this.unclaimedDrops += batch.dropped;
          this.inFlight.delete(batch);
          const lost = this.queue.unshiftAll(batch.events).length;
          this.countDrops(lost);
          this.due = true;
          this.pump();
          return;
        }
        this.fail(batch, outcome.status, `${outcome.message}; dropped 1 event too large to send`, []);
        return;
      case 'fatal':
        this.fail(batch, outcome.status, `${outcome.message}; dropped ${count} events`, outcome.rejected);
        return;
    }
  }

  private fail(batch: Batch, status: number, message: string, rejected: readonly RejectedEvent[]): void {
    // The collector never recorded this batch's meta, so the next batch carries it.
    this.unclaimedDrops += batch.dropped;
    this.counters.failed += batch.events.length;
    if (rejected.length > 0) {
      this.report('events_rejected', `${message}: ${summarizeRejected(rejected)}`, { status, rejected, dropped: batch.events.length });
    } else {
      this.report('delivery_failed', message, { status, dropped: batch.events.length });
    }
    this.settle(batch);
  }

  private settle(batch: Batch): void {
    this.inFlight.delete(batch);
    this.checkWaiters();
    this.pump();
  }

  private countDrops(count: number): void {
    if (count === 0) return;
    this.unclaimedDrops += count;
    this.unreportedDrops += count;
    this.counters.dropped += count;
  }

  private checkWaiters(): void {
    if (this.waiters.size === 0) return;
    this.skipCancelled();
    let oldest = this.queue.peek()?.seq ?? Number.POSITIVE_INFINITY;
    for (const batch of this.inFlight) oldest = Math.min(oldest, batch.events[0]?.seq ?? oldest);
    for (const waiter of this.waiters) if (waiter.targetSeq < oldest) this.release(waiter);
  }

  private release(waiter: FlushWaiter): void {
    stopTimer(waiter.timer);
    this.waiters.delete(waiter);
    waiter.resolve();
  }

  private reportDrops(): void {
    if (this.unreportedDrops === 0) return;
    const dropped = this.unreportedDrops;
    this.unreportedDrops = 0;
    this.report('queue_overflow', `queue full (maxQueue ${this.options.maxQueue}): dropped the ${dropped} oldest events`, {
      dropped,
    });
  }

  private report(kind: ClosewatchErrorKind, message: string, details: ClosewatchErrorDetails): void {
    safeReport(this.options.onError, new ClosewatchError(kind, message, details));
  }
}

/**
 * Everything that goes wrong inside the SDK after construction is reported as a
 * `ClosewatchError` through the `onError` option and never thrown into the host
 * application: observability must not become the outage.
 */

/**
 * What went wrong:
 * - `delivery_retry`: a POST failed (network error, timeout, 408, 429 or 5xx); the same
 *   batch will be sent again after `retryInMs`.
 * - `delivery_failed`: the collector refused a batch for good (401, 403, 413 with one
 *   event, other 4xx); its events are dropped. `status` and the collector's message are set.
 * - `events_rejected`: the collector accepted the batch but rejected some events
 *   (`rejected` lists them with their ids), or rejected all of them (400).
 * - `queue_overflow`: the queue was full and the oldest events were dropped; `dropped`
 *   is the count since the previous report.
 * - `undelivered`: `close()` gave up with `dropped` events still undelivered.
 * - `hook_failed`: a `route`, `labels`, `captureRemoteAddress` or `clientKey` callback threw or
 *   returned something unusable; the default was used instead (for `clientKey`: no key).
 * - `codes_retry`: registering the `codes` option's names failed for now (network error,
 *   timeout, 408, 429 or 5xx); it is tried again after `retryInMs`.
 * - `codes_failed`: the collector refused the code names for good (a bad or browser key,
 *   an invalid entry); `status` and the collector's message are set.
 * - `internal`: a bug in the SDK was caught before it could reach the host.
 */
export type ClosewatchErrorKind =
  | 'delivery_retry'
  | 'delivery_failed'
  | 'events_rejected'
  | 'queue_overflow'
  | 'undelivered'
  | 'hook_failed'
  | 'codes_retry'
  | 'codes_failed'
  | 'internal';

/** One event the collector rejected, as it reported it, plus the event's id. */
export interface RejectedEvent {
  index: number;
  id: string | undefined;
  field: string;
  message: string;
}

/** Optional facts attached to a `ClosewatchError`. */
export interface ClosewatchErrorDetails {
  status?: number;
  dropped?: number;
  retryInMs?: number;
  rejected?: readonly RejectedEvent[];
  cause?: unknown;
}

/** What `onError` receives; `kind` says what happened, the other fields how much. */
export class ClosewatchError extends Error {
  override readonly name = 'ClosewatchError';
  readonly kind: ClosewatchErrorKind;
  /** HTTP status of the collector's answer, when there was one. */
  readonly status: number | undefined;
  /** Events dropped (`queue_overflow`, `undelivered`, `delivery_failed`). */
  readonly dropped: number | undefined;
  /** Delay before the next attempt (`delivery_retry`). */
  readonly retryInMs: number | undefined;
  readonly rejected: readonly RejectedEvent[] | undefined;

  constructor(kind: ClosewatchErrorKind, message: string, details: ClosewatchErrorDetails = {}) {
    super(`closewatch: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.status = details.status;
    this.dropped = details.dropped;
    this.retryInMs = details.retryInMs;
    this.rejected = details.rejected;
  }
}

/** Receives every error the SDK reports. Exceptions it throws are swallowed. */
export type ErrorHandler = (error: ClosewatchError) => void;

/**
 * The default handler: one `console.warn` for the first error, then silence, so a
 * misconfigured key is noticed without flooding the host's logs.
 */
export function createWarnOnceHandler(): ErrorHandler {
  let warned = false;
  return (error) => {
    if (warned) return;
    warned = true;
    if (typeof console !== 'undefined' && typeof console.warn === 'function') {
      console.warn(`${error.message} (further closewatch errors are not logged; pass onError to see them)`);
    }
  };
}

/** Calls the handler, shielding the caller from anything it throws. */
export function safeReport(handler: ErrorHandler, error: ClosewatchError): void {
  try {
    handler(error);
  } catch {
    // A throwing onError must not turn into an exception inside a 'close' listener.
  }
}

/** The first three rejections, for a one-line message. */
export function summarizeRejected(rejected: readonly RejectedEvent[]): string {
  const first = rejected.slice(0, 3).map((r) => `#${r.index} ${r.field} ${r.message}`.trim());
  return rejected.length > 3 ? `${first.join('; ')}; ...` : first.join('; ');
}

/** Turns any thrown value into a short message. */
export function describeThrown(value: unknown): string {
  if (value instanceof Error) {
    const cause = (value as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? `: ${cause.message}` : '';
    return `${value.message}${causeText}`;
  }
  return String(value);
}

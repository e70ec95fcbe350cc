/**
 * Retry delays. Exponential backoff with "equal jitter" (half fixed, half random) so a
 * fleet of instances that lost the collector together does not come back in lockstep,
 * while every instance still waits at least half the nominal delay.
 */

/** Longest `Retry-After` honoured; beyond it a misbehaving proxy could stall delivery for days. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Delay before attempt `attempt + 1` after `attempt` failures (`attempt` >= 1):
 * `min(maxMs, baseMs * 2^(attempt-1))`, then between half of it and all of it.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const nominal = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return Math.round(nominal / 2 + (random() * nominal) / 2);
}

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP date. Returns milliseconds
 * (0 for a date in the past), or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), MAX_RETRY_AFTER_MS);
}

/**
 * Waiting exactly what the server asked would make every client return in the same
 * millisecond; add up to 10% (at most 1 s) on top, never less than asked.
 */
export function retryAfterDelay(retryAfterMs: number, random: () => number): number {
  return Math.round(retryAfterMs + random() * Math.min(1000, retryAfterMs * 0.1));
}

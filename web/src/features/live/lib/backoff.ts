export const MIN_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): 1 s doubling to 30 s, with
 * +-20% jitter so a collector restart is not hit by every dashboard in the same
 * millisecond. Always within [MIN_RETRY_MS, MAX_RETRY_MS].
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, MIN_RETRY_MS * 2 ** Math.max(0, attempt));
  const jittered = base * (0.8 + 0.4 * random());
  return Math.round(Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, jittered)));
}

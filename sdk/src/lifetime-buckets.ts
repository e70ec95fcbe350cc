/**
 * Connection-lifetime histogram buckets, shared by the collector (which counts into
 * them) and the dashboard (which labels them). Edges are in milliseconds; bucket `i`
 * holds lifetimes in `[LIFETIME_EDGES_MS[i], LIFETIME_EDGES_MS[i + 1])`, and the last
 * bucket is open-ended. The edges are dense around 30-120 s because proxy idle
 * timeouts (60 s on nginx and most load balancers) show up there as a wall of 1006s.
 */
export const LIFETIME_EDGES_MS: readonly number[] = Object.freeze([
  0, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 45_000, 55_000, 60_000, 65_000, 90_000,
  120_000, 180_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000,
  86_400_000,
]);

/** Index of the bucket that holds `durationMs` (negative durations count as 0). */
export function lifetimeBucket(durationMs: number): number {
  let lo = 0;
  let hi = LIFETIME_EDGES_MS.length - 1;
  if (!(durationMs > 0)) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((LIFETIME_EDGES_MS[mid] as number) <= durationMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function formatMs(ms: number): string {
  // Seconds below 2 min: the 55/65/90 s edges around the 60 s proxy wall are not
  // whole minutes (65 s printed as "1.0833333333333333 min").
  if (ms < 120_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  return `${ms / 3_600_000} h`;
}

/** Label of bucket `index`, such as `55 s - 60 s` or `>= 24 h`. */
export function lifetimeBucketLabel(index: number): string {
  const lo = LIFETIME_EDGES_MS[index];
  if (lo === undefined) throw new RangeError(`no lifetime bucket ${index}`);
  const hi = LIFETIME_EDGES_MS[index + 1];
  return hi === undefined ? `>= ${formatMs(lo)}` : `${formatMs(lo)} - ${formatMs(hi)}`;
}

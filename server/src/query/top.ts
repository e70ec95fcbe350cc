/** Most groups any stats answer lists (codes, series, services, routes, instances). */
export const MAX_TOP = 200;

/** How many groups each answer lists unless `top` says otherwise; the rest are summed as "other". */
export const DEFAULT_TOP = {
  summary: 50,
  timeseries: 20,
  reasons: 20,
  breakdown: 50,
  lifetimes: 20,
} as const;

/** `items` as the first `top` and the sum of the rest, by `count` (already sorted). */
export function splitTop<T>(items: readonly T[], top: number, count: (item: T) => number): { top: T[]; other: { groups: number; count: number } } {
  const rest = items.slice(top);
  return { top: items.slice(0, top), other: { groups: rest.length, count: rest.reduce((sum, item) => sum + count(item), 0) } };
}

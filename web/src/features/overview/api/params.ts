import { filtersKey, rangeKey, type Filters, type TimeRange } from '@/features/filters/lib/view-state';

/** What every overview read depends on. */
export interface ViewQuery {
  range: TimeRange;
  filters: Filters;
}

/** Query-key tail shared by the overview reads; `now` is left out on purpose (see rangeKey). */
export function viewKey({ range, filters }: ViewQuery): [string, string] {
  return [rangeKey(range), filtersKey(filters)];
}

/** Every stats query key starts with this, so one invalidation refreshes the overview. */
export const STATS_KEY = 'stats';

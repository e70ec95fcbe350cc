import {
  CATEGORY_LABELS,
  CLOSE_CATEGORIES,
  formatCloseCode,
  isCloseCategory,
  type CloseCategory,
  type CustomCloseCodes,
} from '@closewatch/sdk/close-codes';
import type { GroupBy, Timeseries } from '@closewatch/server/api-types';

import { categoryColor, seriesColor } from '@/components/charts/palette';
import type { ChartRow, ChartSeries } from '@/components/charts/types';
import type { Filters } from '@/features/filters/lib/view-state';
import { parseCodeKey } from '@/lib/code-key';

/** Label of a series key, from the registry rather than the server's label. */
export function seriesLabel(groupBy: GroupBy, key: string, fallback: string, names?: CustomCloseCodes): string {
  if (groupBy === 'category') return isCloseCategory(key) ? CATEGORY_LABELS[key] : fallback;
  if (groupBy === 'code') {
    const code = parseCodeKey(key);
    return code === undefined ? fallback : formatCloseCode(code, names);
  }
  return key;
}

function seriesOrder(groupBy: GroupBy, a: string, b: string): number {
  if (groupBy === 'category') {
    return CLOSE_CATEGORIES.indexOf(a as CloseCategory) - CLOSE_CATEGORIES.indexOf(b as CloseCategory);
  }
  if (groupBy === 'code') {
    // `none` sorts last; codes ascend, as the registry lists them.
    const ca = parseCodeKey(a) ?? Number.MAX_SAFE_INTEGER;
    const cb = parseCodeKey(b) ?? Number.MAX_SAFE_INTEGER;
    return ca - cb;
  }
  return a.localeCompare(b);
}

export interface StackedSeries {
  rows: Array<ChartRow<number>>;
  series: ChartSeries[];
}

/**
 * Timeseries points to stacked-chart rows. Every series gets a value in every bucket
 * and missing buckets are filled with zeros, because a stacked area interpolates
 * straight across a gap and would draw closures that never happened.
 */
export function toStackedRows(response: Timeseries, names?: CustomCloseCodes): StackedSeries {
  const { groupBy, bucketMs } = response;
  const totals = new Map<string, number>();
  for (const s of response.series) totals.set(s.key, s.total);
  for (const p of response.points) {
    for (const [key, count] of Object.entries(p.values)) {
      if (!response.series.some((s) => s.key === key)) totals.set(key, (totals.get(key) ?? 0) + count);
    }
  }
  const labels = new Map(response.series.map((s) => [s.key, s.label]));
  const keys = [...totals.keys()].filter((k) => (totals.get(k) ?? 0) > 0).sort((a, b) => seriesOrder(groupBy, a, b));
  const series: ChartSeries[] = keys.map((key) => ({
    key,
    label: seriesLabel(groupBy, key, labels.get(key) ?? key, names),
    color: groupBy === 'category' && isCloseCategory(key) ? categoryColor(key) : seriesColor(key),
  }));

  const byTime = new Map<number, Record<string, number>>();
  for (const p of response.points) byTime.set(p.t, p.values);
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const first = times[0];
  const last = times[times.length - 1];
  const grid: number[] = [];
  if (first !== undefined && last !== undefined && bucketMs > 0) {
    for (let t = first; t <= last; t += bucketMs) grid.push(t);
    // Off-grid points (a server bucket that is not a multiple) still get their row.
    for (const t of times) if (!grid.includes(t)) grid.push(t);
    grid.sort((a, b) => a - b);
  } else {
    grid.push(...times);
  }

  const rows = grid.map((t) => {
    const source = byTime.get(t) ?? {};
    const values: Record<string, number> = {};
    for (const key of keys) values[key] = source[key] ?? 0;
    return { x: t, values };
  });
  return { rows, series };
}

/** The filters for the drill-down from a category to its codes. */
export function drillDownFilters(filters: Filters, category: CloseCategory): Filters {
  return { ...filters, category };
}

/** Bucket width in words for captions: `1 min`, `1 h`, `30 s`. */
export function describeBucket(bucketMs: number): string {
  if (bucketMs % 3_600_000 === 0) return `${bucketMs / 3_600_000} h`;
  if (bucketMs % 60_000 === 0) return `${bucketMs / 60_000} min`;
  return `${bucketMs / 1000} s`;
}

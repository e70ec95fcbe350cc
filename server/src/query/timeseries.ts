import { CATEGORY_LABELS, CLOSE_CATEGORIES, formatCloseCode, type CloseCategory, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { StatsReader } from '../storage/sql/stats-reader.js';
import { bucketStarts, defaultBucketMs, floorTo, MINUTE_MS } from '../storage/time-window.js';
import type { ReadPath } from '../storage/types.js';
import { byCountDesc, codeKey } from './code-info.js';
import { invalidQuery, type ParsedQuery } from './filters.js';
import { OTHER_KEY, type GroupBy, type Timeseries } from './schemas.js';

/** Most points one response may hold; a week of 5-minute buckets fits. */
export const MAX_POINTS = 5000;

export interface TimeseriesOptions {
  groupBy: GroupBy;
  bucketMs?: number;
  /** Most series for codes and services; the rest are summed in one `(other)` series. */
  top: number;
  /** The team's own code names for series labels (default none). */
  names?: CustomCloseCodes;
}

/** The bucket of a request: given (whole minutes) or chosen from the requested range. */
export function resolveBucketMs(query: ParsedQuery, bucketMs: number | undefined): number {
  const chosen = bucketMs ?? defaultBucketMs(query.requested.to - query.requested.from);
  if (chosen < MINUTE_MS || chosen % MINUTE_MS !== 0) {
    throw invalidQuery('bucketMs', `${chosen} is not a whole number of minutes; use a multiple of 60000`);
  }
  const points = (query.window.to - floorTo(query.window.from, chosen)) / chosen;
  if (points > MAX_POINTS) {
    throw invalidQuery('bucketMs', `${chosen} gives ${Math.ceil(points)} buckets over this range; at most ${MAX_POINTS}, use a larger bucket`);
  }
  return chosen;
}

interface SeriesInfo {
  key: string;
  label: string;
  total: number;
  /** Sort position for categories (the registry's display order). */
  order: number;
}

/**
 * `GET /stats/timeseries`: counts per bucket and group, every bucket present. Buckets
 * are aligned to multiples of `bucketMs` since the epoch, so the first and last may be
 * cut by the window; their counts only hold closes inside it.
 */
export async function queryTimeseries(
  stats: StatsReader,
  query: ParsedQuery,
  options: TimeseriesOptions,
): Promise<{ body: Timeseries; path: ReadPath }> {
  const bucketMs = resolveBucketMs(query, options.bucketMs);
  const series = new Map<string, SeriesInfo>();
  const cells: Array<{ t: number; key: string; n: number }> = [];
  const add = (t: number, info: Omit<SeriesInfo, 'total'>, n: number): void => {
    const existing = series.get(info.key);
    if (existing) existing.total += n;
    else series.set(info.key, { ...info, total: n });
    cells.push({ t, key: info.key, n });
  };
  let path: ReadPath;
  let otherGroups = 0;
  const noun = options.groupBy === 'service' ? 'services' : 'codes';
  const other = (n: number): Omit<SeriesInfo, 'total'> => ({ key: OTHER_KEY, label: `Other (${n} more ${noun})`, order: Number.MAX_SAFE_INTEGER });
  if (options.groupBy === 'service') {
    const read = await stats.timeseriesByService(query.window, query.filters, bucketMs, options.top);
    otherGroups = read.otherGroups;
    for (const cell of read.rows) add(cell.t, cell.other ? other(otherGroups) : { key: cell.key, label: cell.key, order: 0 }, cell.count);
    path = read.path;
  } else if (options.groupBy === 'code') {
    const read = await stats.timeseriesByCode(query.window, query.filters, bucketMs, options.top);
    otherGroups = read.otherGroups;
    for (const cell of read.rows) add(cell.t, cell.other ? other(otherGroups) : { key: codeKey(cell.key), label: formatCloseCode(cell.key, options.names), order: 0 }, cell.count);
    path = read.path;
  } else {
    const read = await stats.timeseriesByCategory(query.window, query.filters, bucketMs);
    for (const cell of read.rows) {
      if (cell.other) continue;
      const category: CloseCategory = CLOSE_CATEGORIES[cell.key] ?? 'invalid';
      add(cell.t, { key: category, label: CATEGORY_LABELS[category], order: CLOSE_CATEGORIES.indexOf(category) }, cell.count);
    }
    path = read.path;
  }

  // The (other) series goes last, however large it is.
  const byTotal = byCountDesc<SeriesInfo>((s) => s.total, (s) => s.key);
  const ordered = [...series.values()].sort((a, c) =>
    a.key === OTHER_KEY || c.key === OTHER_KEY ? (a.key === OTHER_KEY ? 1 : -1) : options.groupBy === 'category' ? a.order - c.order : byTotal(a, c),
  );
  const points = bucketStarts(query.window, bucketMs).map((t) => {
    const values: Record<string, number> = {};
    for (const s of ordered) values[s.key] = 0;
    return { t, values };
  });
  const first = points[0]?.t ?? 0;
  for (const cell of cells) {
    const point = points[(cell.t - first) / bucketMs];
    if (point) point.values[cell.key] = (point.values[cell.key] ?? 0) + cell.n;
  }
  return {
    body: {
      window: query.window,
      bucketMs,
      groupBy: options.groupBy,
      series: ordered.map(({ key, label, total }) => (key === OTHER_KEY ? { key, label, total, other: true as const } : { key, label, total })),
      otherGroups,
      points,
    },
    path,
  };
}

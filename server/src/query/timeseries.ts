import { CATEGORY_LABELS, CLOSE_CATEGORIES, describeCloseCode, formatCloseCode, type CloseCategory } from '@closewatch/sdk/close-codes';
import type { PrismaClient } from '../storage/prisma-client.js';
import { byCountDesc, codeKey } from './code-info.js';
import { invalidQuery, type ParsedQuery } from './filters.js';
import type { GroupBy, Timeseries } from './schemas.js';
import { closeSource, minuteCodeSource, type ReadPath } from './sources.js';
import { int, Prisma, readRows, toCode, toNumber, toText } from './sql.js';
import { bucketStarts, defaultBucketMs, floorTo, HOUR_MS, MINUTE_MS } from './time-window.js';

/** Most points one response may hold; a week of 5-minute buckets fits. */
export const MAX_POINTS = 5000;

export interface TimeseriesOptions {
  groupBy: GroupBy;
  bucketMs?: number;
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
  prisma: PrismaClient,
  query: ParsedQuery,
  options: TimeseriesOptions,
): Promise<{ body: Timeseries; path: ReadPath }> {
  const bucketMs = resolveBucketMs(query, options.bucketMs);
  // Hour rollups fit only when every hour lies inside one bucket; finer buckets read
  // the narrow per-code minute rollups.
  const source = bucketMs % HOUR_MS === 0 ? closeSource(query.window, query.filters, true) : minuteCodeSource(query.window, query.filters);
  const column = options.groupBy === 'service' ? Prisma.sql`service` : Prisma.sql`code`;
  const b = int(bucketMs);
  const rows = await readRows(
    prisma,
    Prisma.sql`SELECT (bucket / ${b}) * ${b} AS t, ${column} AS k, SUM(count) AS n FROM (${source.sql}) GROUP BY t, k`,
  );

  const series = new Map<string, SeriesInfo>();
  const cells: Array<{ t: number; key: string; n: number }> = [];
  for (const row of rows) {
    const n = toNumber(row.n);
    let info: Omit<SeriesInfo, 'total'>;
    if (options.groupBy === 'service') {
      const service = toText(row.k);
      info = { key: service, label: service, order: 0 };
    } else {
      const code = toCode(row.k);
      if (options.groupBy === 'code') {
        info = { key: codeKey(code), label: formatCloseCode(code), order: 0 };
      } else {
        const category: CloseCategory = describeCloseCode(code).category;
        info = { key: category, label: CATEGORY_LABELS[category], order: CLOSE_CATEGORIES.indexOf(category) };
      }
    }
    const existing = series.get(info.key);
    if (existing) existing.total += n;
    else series.set(info.key, { ...info, total: n });
    cells.push({ t: toNumber(row.t), key: info.key, n });
  }

  const ordered = [...series.values()].sort(
    options.groupBy === 'category' ? (a, c) => a.order - c.order : byCountDesc((s) => s.total, (s) => s.key),
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
      series: ordered.map(({ key, label, total }) => ({ key, label, total })),
      points,
    },
    path: source.path,
  };
}

import type { CustomCloseCodes } from '@closewatch/sdk/close-codes';
import { LIFETIME_EDGES_MS, lifetimeBucketLabel } from '@closewatch/sdk/lifetime-buckets';
import type { StatsReader } from '../storage/sql/stats-reader.js';
import { OTHER_CODE } from '../storage/types.js';
import type { ReadPath } from '../storage/types.js';
import { byCountDesc, codeFields, codeKey } from './code-info.js';
import type { ParsedQuery } from './filters.js';
import type { Lifetimes } from './schemas.js';

const BUCKETS: Lifetimes['buckets'] = LIFETIME_EDGES_MS.map((fromMs, index) => ({
  index,
  fromMs,
  toMs: LIFETIME_EDGES_MS[index + 1] ?? null,
  label: lifetimeBucketLabel(index),
}));

/** `GET /stats/lifetimes`: connection-lifetime histogram per code (closes without a duration are not counted). */
export async function queryLifetimes(stats: StatsReader, query: ParsedQuery, top: number, names?: CustomCloseCodes): Promise<{ body: Lifetimes; path: ReadPath }> {
  const read = await stats.lifetimeCounts(query.window, query.filters, top);
  const perCode = new Map<string, { code: number | null; total: number; counts: number[] }>();
  const other = { codes: read.otherCodes, total: 0, counts: BUCKETS.map(() => 0) };
  for (const row of read.rows) {
    if (row.code === OTHER_CODE) {
      other.counts[row.lifetimeBucket] = (other.counts[row.lifetimeBucket] ?? 0) + row.count;
      other.total += row.count;
      continue;
    }
    const entry = perCode.get(codeKey(row.code)) ?? { code: row.code, total: 0, counts: BUCKETS.map(() => 0) };
    const index = row.lifetimeBucket;
    if (index >= 0 && index < entry.counts.length) entry.counts[index] = (entry.counts[index] ?? 0) + row.count;
    entry.total += row.count;
    perCode.set(codeKey(row.code), entry);
  }
  const byCode = [...perCode.values()]
    .sort(byCountDesc((c) => c.total, (c) => codeKey(c.code)))
    .map((c) => ({ ...codeFields(c.code, names), total: c.total, counts: c.counts }));
  return { body: { window: query.window, buckets: BUCKETS, byCode, other: other.codes > 0 ? other : null }, path: read.path };
}

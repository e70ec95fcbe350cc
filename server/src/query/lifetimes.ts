import { LIFETIME_EDGES_MS, lifetimeBucketLabel } from '@closewatch/sdk/lifetime-buckets';
import type { PrismaClient } from '../storage/prisma-client.js';
import { byCountDesc, codeFields, codeKey } from './code-info.js';
import type { ParsedQuery } from './filters.js';
import type { Lifetimes } from './schemas.js';
import { lifetimeSource, type ReadPath } from './sources.js';
import { Prisma, readRows, toCode, toNumber } from './sql.js';

const BUCKETS: Lifetimes['buckets'] = LIFETIME_EDGES_MS.map((fromMs, index) => ({
  index,
  fromMs,
  toMs: LIFETIME_EDGES_MS[index + 1] ?? null,
  label: lifetimeBucketLabel(index),
}));

/** `GET /stats/lifetimes`: connection-lifetime histogram per code (closes without a duration are not counted). */
export async function queryLifetimes(prisma: PrismaClient, query: ParsedQuery): Promise<{ body: Lifetimes; path: ReadPath }> {
  const source = lifetimeSource(query.window, query.filters);
  const rows = await readRows(
    prisma,
    Prisma.sql`SELECT code, lifetime_bucket AS lb, SUM(count) AS n FROM (${source.sql}) GROUP BY code, lifetime_bucket`,
  );
  const perCode = new Map<string, { code: number | null; total: number; counts: number[] }>();
  for (const row of rows) {
    const code = toCode(row.code);
    const entry = perCode.get(codeKey(code)) ?? { code, total: 0, counts: BUCKETS.map(() => 0) };
    const index = toNumber(row.lb);
    const n = toNumber(row.n);
    if (index >= 0 && index < entry.counts.length) entry.counts[index] = (entry.counts[index] ?? 0) + n;
    entry.total += n;
    perCode.set(codeKey(code), entry);
  }
  const byCode = [...perCode.values()]
    .sort(byCountDesc((c) => c.total, (c) => codeKey(c.code)))
    .map((c) => ({ ...codeFields(c.code), total: c.total, counts: c.counts }));
  return { body: { window: query.window, buckets: BUCKETS, byCode }, path: source.path };
}

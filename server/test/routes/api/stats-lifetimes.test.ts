import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIFETIME_EDGES_MS } from '@closewatch/sdk/lifetime-buckets';
import type { StoredCloseEvent } from '../../../src/storage/types.js';
import type { TestApp } from '../../helpers/test-app.js';
import { aligned, codeKey, MINUTE, RANGES, RAW_FILTERS, ROLLUP_FILTERS, select, type Filter, rangeQuery, seededApp } from '../../query/fixtures.js';
import { storedEvent } from '../../helpers/stored-event.js';

interface LifetimesBody {
  window: { from: number; to: number };
  buckets: Array<{ index: number; fromMs: number; toMs: number | null; label: string }>;
  byCode: Array<{ code: number | null; name: string; shortName: string; category: string; total: number; counts: number[] }>;
}

/** Bucket i holds [edge i, edge i+1); a linear scan, not the SDK's binary search. */
function bucketOf(durationMs: number): number {
  let index = 0;
  LIFETIME_EDGES_MS.forEach((edge, i) => {
    if (durationMs >= edge) index = i;
  });
  return index;
}

describe('GET /api/v1/stats/lifetimes', () => {
  let t: TestApp;
  let events: StoredCloseEvent[];

  before(async () => {
    ({ t, events } = await seededApp());
  });
  after(async () => t.destroy());

  async function check(range: { from: number; to: number }, f: Filter): Promise<string> {
    const res = await t.inject(`/api/v1/stats/lifetimes?${rangeQuery(range, f)}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<LifetimesBody>();
    const label = JSON.stringify(f);
    const expected: Record<string, number[]> = {};
    for (const e of select(events, aligned(range.from, range.to), f)) {
      if (e.durationMs === null) continue;
      const counts = (expected[codeKey(e.code)] ??= LIFETIME_EDGES_MS.map(() => 0));
      counts[bucketOf(e.durationMs)] = (counts[bucketOf(e.durationMs)] ?? 0) + 1;
    }
    assert.deepEqual(Object.fromEntries(body.byCode.map((c) => [codeKey(c.code), c.counts])), expected, label);
    for (const c of body.byCode) assert.equal(c.total, c.counts.reduce((a, b) => a + b, 0));
    assert.ok(body.byCode.every((c, i) => i === 0 || (body.byCode[i - 1]?.total ?? 0) >= c.total));
    return String(res.headers['x-closewatch-path']);
  }

  it('describes the buckets', async () => {
    const res = await t.inject('/api/v1/stats/lifetimes');
    const { buckets } = res.json<LifetimesBody>();
    assert.equal(buckets.length, LIFETIME_EDGES_MS.length);
    assert.deepEqual(buckets[0], { index: 0, fromMs: 0, toMs: 1000, label: '0 s - 1 s' });
    assert.deepEqual(buckets[buckets.length - 1], { index: buckets.length - 1, fromMs: 86_400_000, toMs: null, label: '>= 24 h' });
  });

  it('reads lifetime rollups for service and code filters', async () => {
    const filters = ROLLUP_FILTERS.filter((f) => f.route === undefined && f.initiator === undefined);
    for (const range of RANGES) for (const f of filters) assert.equal(await check(range, f), 'rollups');
  });

  it('lists no code whose closes all fall outside the window on a day read whole', async () => {
    // The last range's last day is read as the whole day less its hours after the window.
    const range = RANGES[RANGES.length - 1] as { from: number; to: number };
    const after = storedEvent({ ts: aligned(range.from, range.to).to + 10 * MINUTE, code: 4999, durationMs: 5_000 });
    await t.app.db.writer.write([after]);
    events.push(after);
    assert.equal(await check(range, {}), 'rollups');
  });

  it('reads raw events when a filter is not in the lifetime rollups (route, initiator, instance, label)', async () => {
    const filters = [...ROLLUP_FILTERS.filter((f) => f.route !== undefined || f.initiator !== undefined), ...RAW_FILTERS];
    for (const f of filters) assert.equal(await check(RANGES[0] as { from: number; to: number }, f), 'events');
  });
});

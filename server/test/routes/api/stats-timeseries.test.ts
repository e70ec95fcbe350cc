import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredCloseEvent } from '../../../src/storage/types.js';
import type { TestApp } from '../../helpers/test-app.js';
import {
  aligned,
  BASE,
  categoryOf,
  codeKey,
  filterQuery,
  GAP,
  HOUR,
  MINUTE,
  RANGES,
  RAW_FILTERS,
  ROLLUP_FILTERS,
  select,
  type Filter,
  seededApp,
} from '../../query/fixtures.js';

interface TimeseriesBody {
  window: { from: number; to: number };
  bucketMs: number;
  groupBy: string;
  series: Array<{ key: string; label: string; total: number }>;
  points: Array<{ t: number; values: Record<string, number> }>;
}

type GroupBy = 'category' | 'code' | 'service';

const keyOf: Record<GroupBy, (e: StoredCloseEvent) => string> = {
  category: (e) => categoryOf(e.code),
  code: (e) => codeKey(e.code),
  service: (e) => e.service,
};

/** The documented default: up to 1 h 1 min, 6 h 5 min, 24 h 15 min, 7 d 1 h, beyond 6 h. */
function defaultBucket(rangeMs: number): number {
  if (rangeMs <= HOUR) return MINUTE;
  if (rangeMs <= 6 * HOUR) return 5 * MINUTE;
  if (rangeMs <= 24 * HOUR) return 15 * MINUTE;
  if (rangeMs <= 7 * 24 * HOUR) return HOUR;
  return 6 * HOUR;
}

describe('GET /api/v1/stats/timeseries', () => {
  let t: TestApp;
  let events: StoredCloseEvent[];

  before(async () => {
    ({ t, events } = await seededApp());
  });
  after(async () => t.destroy());

  async function get(range: { from: number; to: number }, f: Filter, extra: string): Promise<{ body: TimeseriesBody; path: string }> {
    const q = [`from=${range.from}`, `to=${range.to}`, filterQuery(f), extra].filter(Boolean).join('&');
    const res = await t.inject(`/api/v1/stats/timeseries?${q}`);
    assert.equal(res.statusCode, 200, res.body);
    return { body: res.json<TimeseriesBody>(), path: String(res.headers['x-closewatch-path']) };
  }

  function check(body: TimeseriesBody, range: { from: number; to: number }, f: Filter, groupBy: GroupBy, bucketMs: number): void {
    const window = aligned(range.from, range.to);
    const label = `${JSON.stringify(f)} ${groupBy} ${bucketMs}`;
    assert.deepEqual(body.window, window);
    assert.equal(body.bucketMs, bucketMs, label);
    assert.equal(body.groupBy, groupBy);
    const matching = select(events, window, f);
    const keys = [...new Set(matching.map(keyOf[groupBy]))].sort();
    assert.deepEqual(body.series.map((s) => s.key).sort(), keys, label);
    for (const s of body.series) assert.equal(s.total, matching.filter((e) => keyOf[groupBy](e) === s.key).length, `${label} ${s.key}`);

    const expectedPoints: TimeseriesBody['points'] = [];
    for (let start = Math.floor(window.from / bucketMs) * bucketMs; start < window.to; start += bucketMs) {
      const values: Record<string, number> = {};
      for (const key of keys) values[key] = 0;
      for (const e of matching) if (e.ts >= start && e.ts < start + bucketMs) values[keyOf[groupBy](e)] = (values[keyOf[groupBy](e)] ?? 0) + 1;
      expectedPoints.push({ t: start, values });
    }
    assert.deepEqual(body.points, expectedPoints, label);
  }

  it('chooses the bucket from the requested range and zero-fills every bucket', async () => {
    for (const range of RANGES) {
      for (const f of ROLLUP_FILTERS) {
        const { body, path } = await get(range, f, 'groupBy=code');
        assert.equal(path, 'rollups');
        check(body, range, f, 'code', defaultBucket(range.to - range.from));
      }
    }
  });

  it('stitches hour rollups into hour-multiple buckets, minute rollups otherwise', async () => {
    const range = RANGES[0] as { from: number; to: number };
    for (const bucketMs of [HOUR, 2 * HOUR, 7 * MINUTE, 15 * MINUTE]) {
      for (const groupBy of ['category', 'code', 'service'] as const) {
        for (const f of [{}, { service: 'feed' }, { codes: [null, 1011] }]) {
          const { body } = await get(range, f, `groupBy=${groupBy}&bucketMs=${bucketMs}`);
          check(body, range, f, groupBy, bucketMs);
        }
      }
    }
  });

  it('answers raw-event filters with the same buckets', async () => {
    for (const f of RAW_FILTERS) {
      const { body, path } = await get(RANGES[0] as { from: number; to: number }, f, 'groupBy=service&bucketMs=1800000');
      assert.equal(path, 'events');
      check(body, RANGES[0] as { from: number; to: number }, f, 'service', 30 * MINUTE);
    }
  });

  it('keeps empty buckets in the gap, with every series at zero', async () => {
    const { body } = await get({ from: BASE + HOUR, to: BASE + 4 * HOUR }, {}, 'bucketMs=600000');
    const inGap = body.points.filter((p) => p.t >= GAP.from && p.t + 600_000 <= GAP.to);
    assert.equal(inGap.length, 3);
    for (const p of inGap) {
      assert.deepEqual(Object.keys(p.values).sort(), body.series.map((s) => s.key).sort());
      assert.ok(Object.values(p.values).every((v) => v === 0));
    }
    assert.equal(body.groupBy, 'category', 'category is the default grouping');
  });

  it('labels series from the registry', async () => {
    const { body } = await get(RANGES[0] as { from: number; to: number }, { codes: [1006, null, 4001] }, 'groupBy=code');
    const labels = Object.fromEntries(body.series.map((s) => [s.key, s.label]));
    assert.deepEqual(labels, { '1006': '1006 Abnormal Closure (Abnormal)', none: 'No Code (Empty)', '4001': '4001 Private (application)' });
    const { body: byCategory } = await get(RANGES[0] as { from: number; to: number }, { codes: [1006] }, 'groupBy=category');
    assert.deepEqual(byCategory.series.map((s) => [s.key, s.label]), [['abnormal', 'Abnormal (no close frame)']]);
  });

  it('rejects buckets that are not whole minutes or too many', async () => {
    const base = `from=${BASE - 24 * HOUR}&to=${BASE}`;
    for (const bad of ['bucketMs=90000.5', 'bucketMs=30000', 'bucketMs=61000', 'bucketMs=abc']) {
      const res = await t.inject(`/api/v1/stats/timeseries?${base}&${bad}`);
      assert.equal(res.statusCode, 400, bad);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'INVALID_QUERY');
      assert.match(res.json<{ error: { message: string } }>().error.message, /^querystring\.bucketMs: /);
    }
    const many = await t.inject(`/api/v1/stats/timeseries?from=${BASE - 30 * 24 * HOUR}&to=${BASE}&bucketMs=60000`);
    assert.equal(many.statusCode, 400);
    assert.match(many.json<{ error: { message: string } }>().error.message, /buckets/);
    const group = await t.inject(`/api/v1/stats/timeseries?${base}&groupBy=route`);
    assert.equal(group.statusCode, 400);
    assert.match(group.json<{ error: { message: string } }>().error.message, /^querystring\.groupBy: must be one of category, code, service/);
  });
});

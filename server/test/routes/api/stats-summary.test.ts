import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredCloseEvent } from '../../../src/storage/types.js';
import type { TestApp } from '../../helpers/test-app.js';
import {
  ABNORMAL,
  aligned,
  categoryOf,
  codeKey,
  countBy,
  makeEvents,
  MINUTE,
  RANGES,
  RAW_FILTERS,
  ROLLUP_FILTERS,
  seed,
  select,
  type Filter,
  rangeQuery,
  seededApp,
} from '../../query/fixtures.js';

const CATEGORY_ORDER = ['normal', 'going-away', 'abnormal', 'client-error', 'server-error', 'overload', 'tls', 'application', 'reserved', 'invalid'];

interface Period {
  window: { from: number; to: number };
  total: number;
  perMinute: number;
  abnormal: { count: number; share: number };
  error: { count: number; perMinute: number; share: number };
  again: { count: number; perMinute: number; share: number };
}
interface SummaryBody extends Period {
  byCode: Array<{ code: number | null; name: string; shortName: string; category: string; count: number; share: number }>;
  byCategory: Array<{ category: string; label: string; count: number }>;
  previous: Period;
  otherCodes: { codes: number; count: number };
}

function expectedPeriod(events: readonly StoredCloseEvent[], window: { from: number; to: number }): Period {
  const minutes = (window.to - window.from) / MINUTE;
  let abnormal = 0;
  let error = 0;
  let again = 0;
  for (const e of events) {
    if (ABNORMAL.has(e.code)) abnormal += 1;
    if (e.code === 1011) error += 1;
    if (e.code === 1013) again += 1;
  }
  const total = events.length;
  const share = (n: number) => (total === 0 ? 0 : n / total);
  return {
    window,
    total,
    perMinute: total / minutes,
    abnormal: { count: abnormal, share: share(abnormal) },
    error: { count: error, perMinute: error / minutes, share: share(error) },
    again: { count: again, perMinute: again / minutes, share: share(again) },
  };
}

describe('GET /api/v1/stats/summary', () => {
  let t: TestApp;
  let events: StoredCloseEvent[];

  before(async () => {
    ({ t, events } = await seededApp());
  });
  after(async () => t.destroy());

  async function summary(range: { from: number; to: number }, f: Filter): Promise<{ body: SummaryBody; path: string }> {
    const res = await t.inject(`/api/v1/stats/summary?${rangeQuery(range, f)}`);
    assert.equal(res.statusCode, 200, res.body);
    return { body: res.json<SummaryBody>(), path: String(res.headers['x-closewatch-path']) };
  }

  function check(body: SummaryBody, range: { from: number; to: number }, f: Filter): void {
    const window = aligned(range.from, range.to);
    const len = window.to - window.from;
    const previousWindow = { from: window.from - len, to: window.from };
    const current = select(events, window, f);
    const label = JSON.stringify(f);
    const { byCode, byCategory, previous, otherCodes, ...figures } = body;
    // The fixture has 17 distinct codes, under the default top of 50: none are summed away.
    assert.deepEqual(otherCodes, { codes: 0, count: 0 });
    assert.deepEqual(figures, expectedPeriod(current, window), label);
    assert.deepEqual(previous, expectedPeriod(select(events, previousWindow, f), previousWindow), `${label} previous`);

    const codes = countBy(current, (e) => codeKey(e.code));
    assert.deepEqual(Object.fromEntries(byCode.map((c) => [codeKey(c.code), c.count])), codes, label);
    for (const c of byCode) {
      assert.equal(c.category, categoryOf(c.code));
      assert.equal(c.share, c.count / current.length);
    }
    for (let i = 1; i < byCode.length; i += 1) assert.ok((byCode[i - 1]?.count ?? 0) >= (byCode[i]?.count ?? 0), 'byCode sorted by count');

    assert.deepEqual(Object.fromEntries(byCategory.map((c) => [c.category, c.count])), countBy(current, (e) => categoryOf(e.code)), label);
    const order = byCategory.map((c) => CATEGORY_ORDER.indexOf(c.category));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'categories in display order');
  }

  it('matches plain counts over rollups, stitching hour and minute rollups on non-aligned ranges', async () => {
    for (const range of RANGES) {
      for (const f of ROLLUP_FILTERS) {
        const { body, path } = await summary(range, f);
        assert.equal(path, 'rollups');
        check(body, range, f);
      }
    }
  });

  it('answers instance and label filters from raw events with the same widened window', async () => {
    for (const range of RANGES) {
      for (const f of RAW_FILTERS) {
        const { body, path } = await summary(range, f);
        assert.equal(path, 'events');
        check(body, range, f);
      }
    }
  });

  it('carries the registry fields of every code', async () => {
    const { body } = await summary(RANGES[0] as { from: number; to: number }, { codes: [1006, null] });
    const abnormal = body.byCode.find((c) => c.code === 1006);
    assert.deepEqual(abnormal && { name: abnormal.name, shortName: abnormal.shortName, category: abnormal.category }, {
      name: 'Abnormal Closure',
      shortName: 'Abnormal',
      category: 'abnormal',
    });
    const none = body.byCode.find((c) => c.code === null);
    assert.deepEqual(none && { shortName: none.shortName, category: none.category }, { shortName: 'Empty', category: 'normal' });
    assert.deepEqual(body.byCategory.map((c) => [c.category, c.label]), [['normal', 'Normal'], ['abnormal', 'Abnormal (no close frame)']]);
  });

  it('defaults to the last hour, widened to whole minutes', async () => {
    const now = Date.now();
    const recent = makeEvents(30, 99).map((e, i) => ({ ...e, eventId: `recent-${i}`, ts: now - 30 * MINUTE + i * 1000 }));
    await seed(t.app, recent);
    const res = await t.inject('/api/v1/stats/summary');
    assert.equal(res.statusCode, 200);
    const body = res.json<SummaryBody>();
    assert.equal(body.total, 30);
    assert.ok(body.window.to >= now && body.window.to % MINUTE === 0 && body.window.from % MINUTE === 0);
    assert.ok([60, 61].includes((body.window.to - body.window.from) / MINUTE));
    assert.equal(body.previous.window.to, body.window.from);
  });

  it('is empty, not an error, for a window without closes', async () => {
    const { body } = await summary({ from: Date.UTC(2020, 0, 1), to: Date.UTC(2020, 0, 2) }, {});
    assert.equal(body.total, 0);
    assert.equal(body.abnormal.share, 0);
    assert.deepEqual(body.byCode, []);
  });
});

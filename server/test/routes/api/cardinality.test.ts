import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent } from '../../helpers/events.js';
import { startTestApp, TEST_KEY, type TestApp } from '../../helpers/test-app.js';

// A client can invent services, routes and codes freely. Whatever it sends, every stats
// answer lists at most `top` groups and sums the rest, so its size does not grow with it.

/** One hour, so the default 1-hour queries below see all of it. */
const NOW = Date.now();
const TS = NOW - 10 * 60_000;

let t: TestApp;
before(async () => {
  t = await startTestApp({ MAX_ROUTES_PER_SERVICE_HOUR: '50' });
  const send = async (events: Array<Record<string, unknown>>): Promise<void> => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}` }, payload: { events } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().accepted, events.length);
  };
  // 10,000 services with one close each (code 1000), ...
  await send(Array.from({ length: 10_000 }, (_, i) => makeEvent({ service: `svc-${i}`, ts: TS, code: 1000, route: '/ws' })));
  // ... 5,000 distinct codes on one service, ...
  await send(Array.from({ length: 5000 }, (_, i) => makeEvent({ service: 'codes', ts: TS, code: 5000 + i, route: '/ws' })));
  // ... and 2,000 distinct routes on another, of which 50 are kept (MAX_ROUTES_PER_SERVICE_HOUR).
  await send(Array.from({ length: 2000 }, (_, i) => makeEvent({ service: 'routes', ts: TS, code: 1011, route: `/rooms/${i}` })));
});
after(() => t.destroy());

const get = async (url: string): Promise<{ body: Record<string, unknown>; bytes: number }> => {
  const res = await t.inject(url);
  assert.equal(res.statusCode, 200, res.body);
  return { body: res.json(), bytes: res.rawPayload.length };
};

describe('high cardinality', () => {
  it('stores a service\'s routes beyond its hourly cap as (other), and counts them', async () => {
    const rows = await t.query("SELECT CASE WHEN route = '(other)' THEN 1 ELSE 0 END AS other, count(*) AS n FROM close_event WHERE service = 'routes' GROUP BY 1 ORDER BY 1");
    assert.deepEqual(rows, [{ other: 0, n: 50 }, { other: 1, n: 1950 }]);
    // The hour's rows are written once it is rolled up (rollup-watermark.ts).
    await t.app.db.writer.rollUp(TS + 3_600_000);
    const rolled = (await t.query("SELECT count(*) AS routes FROM close_rollup_hour WHERE service = 'routes'"))[0];
    assert.deepEqual(rolled, { routes: 51 });
    const metrics = (await t.inject('/metrics')).body;
    assert.match(metrics, /^closewatch_ingest_routes_capped_total 1950$/m);
  });

  it('summary lists the top 50 codes and sums the other 4,952', async () => {
    const { body, bytes } = await get('/api/v1/stats/summary');
    assert.equal(body.total, 17_000);
    assert.equal((body.byCode as unknown[]).length, 50);
    // 1000 (10,000 closes), 1011 (2,000), then 48 of the 5,000 single-close codes; 4,952 codes with one close each remain.
    assert.deepEqual(body.otherCodes, { codes: 4952, count: 4952 });
    assert.ok(bytes < 20_000, `${bytes} bytes`);
  });

  it('timeseries by service keeps 20 series and one (other) series', async () => {
    const { body, bytes } = await get('/api/v1/stats/timeseries?groupBy=service');
    const series = body.series as Array<{ key: string; total: number; other?: true }>;
    assert.equal(series.length, 21);
    assert.deepEqual(series[20], { key: '(other)', label: 'Other (9982 more services)', total: 9982, other: true });
    assert.equal(body.otherGroups, 9982);
    // 20 listed: "codes" (5,000), "routes" (2,000) and 18 one-close services; 10,002 services in all.
    assert.deepEqual(series.slice(0, 2).map((s) => [s.key, s.total]), [['codes', 5000], ['routes', 2000]]);
    assert.ok(bytes < 40_000, `${bytes} bytes`);
  });

  it('timeseries by code keeps 5 series with top=5; by category it is never cut', async () => {
    const byCode = (await get('/api/v1/stats/timeseries?groupBy=code&top=5')).body;
    assert.deepEqual((byCode.series as Array<{ key: string; total: number }>).map((s) => [s.key, s.total]), [
      ['1000', 10_000],
      ['1011', 2000],
      ['5000', 1],
      ['5001', 1],
      ['5002', 1],
      ['(other)', 4997],
    ]);
    const byCategory = (await get('/api/v1/stats/timeseries?groupBy=category')).body;
    assert.deepEqual((byCategory.series as Array<{ key: string; total: number }>).map((s) => [s.key, s.total]), [
      ['normal', 10_000],
      ['server-error', 2000],
      ['invalid', 5000],
    ]);
  });

  it('breakdown lists 50 services, routes and instances and sums the rest', async () => {
    const { body, bytes } = await get('/api/v1/stats/breakdown');
    const other = body.other as Record<string, { groups: number; total: number; error: number }>;
    assert.equal((body.services as unknown[]).length, 50);
    assert.deepEqual(other.services, { groups: 9952, total: 9952, abnormal: 0, error: 0, again: 0 });
    assert.equal((body.routes as unknown[]).length, 50);
    // 10,000 + 1 + 51 routes ((service, route) pairs); the top 50 are "codes /ws" (5,000), "routes (other)" (1,950) and 48 more.
    assert.deepEqual(other.routes, { groups: 10_002, total: 10_002, abnormal: 2, error: 2, again: 0 });
    assert.ok(bytes < 40_000, `${bytes} bytes`);
  });

  it('reasons and lifetimes stay bounded too', async () => {
    const reasons = await get('/api/v1/stats/reasons?top=10');
    assert.equal((reasons.body.codes as unknown[]).length, 10);
    assert.deepEqual(reasons.body.otherCodes, { codes: 4992, count: 4992 });
    assert.ok(reasons.bytes < 20_000, `${reasons.bytes} bytes`);
    const lifetimes = await get('/api/v1/stats/lifetimes');
    assert.equal((lifetimes.body.byCode as unknown[]).length, 20);
    assert.equal((lifetimes.body.other as { codes: number; total: number }).codes, 4982);
    assert.equal((lifetimes.body.other as { codes: number; total: number }).total, 4982);
    assert.ok(lifetimes.bytes < 20_000, `${lifetimes.bytes} bytes`);
  });

  it('a top above the maximum is a 400 naming it', async () => {
    const res = await t.inject('/api/v1/stats/breakdown?top=201');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { error: { code: 'INVALID_QUERY', message: 'querystring.top: must be an integer from 1 to 200' } });
  });
});

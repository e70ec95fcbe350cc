import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredCloseEvent } from '../../../src/storage/types.js';
import { storedEvent } from '../../helpers/stored-event.js';
import type { TestApp } from '../../helpers/test-app.js';
import { ABNORMAL, aligned, MINUTE, RANGES, RAW_FILTERS, ROLLUP_FILTERS, select, type Filter, rangeQuery, seededApp } from '../../query/fixtures.js';

interface Severity {
  total: number;
  abnormal: number;
  error: number;
  again: number;
}
interface BreakdownBody {
  window: { from: number; to: number };
  services: Array<Severity & { service: string }>;
  instances: Array<{ service: string; instance: string; total: number; abnormal: number }>;
  routes: Array<Severity & { service: string; route: string }>;
}

function severities(events: readonly StoredCloseEvent[], key: (e: StoredCloseEvent) => string): Record<string, Severity> {
  const out: Record<string, Severity> = {};
  for (const e of events) {
    const s = (out[key(e)] ??= { total: 0, abnormal: 0, error: 0, again: 0 });
    s.total += 1;
    if (ABNORMAL.has(e.code)) s.abnormal += 1;
    if (e.code === 1011) s.error += 1;
    if (e.code === 1013) s.again += 1;
  }
  return out;
}

function isSortedByTotal(rows: ReadonlyArray<{ total: number }>): boolean {
  return rows.every((r, i) => i === 0 || (rows[i - 1]?.total ?? 0) >= r.total);
}

describe('GET /api/v1/stats/breakdown', () => {
  let t: TestApp;
  let events: StoredCloseEvent[];

  before(async () => {
    ({ t, events } = await seededApp());
  });
  after(async () => t.destroy());

  async function check(range: { from: number; to: number }, f: Filter): Promise<string> {
    const res = await t.inject(`/api/v1/stats/breakdown?${rangeQuery(range, f)}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<BreakdownBody>();
    const window = aligned(range.from, range.to);
    const matching = select(events, window, f);
    const label = JSON.stringify(f);
    assert.deepEqual(body.window, window);

    assert.deepEqual(Object.fromEntries(body.services.map(({ service, ...s }) => [service, s])), severities(matching, (e) => e.service), label);
    assert.deepEqual(
      Object.fromEntries(body.routes.map(({ service, route, ...s }) => [`${service} ${route}`, s])),
      severities(matching, (e) => `${e.service} ${e.route}`),
      label,
    );
    const instances = severities(matching, (e) => `${e.service} ${e.instance}`);
    assert.deepEqual(
      Object.fromEntries(body.instances.map((i) => [`${i.service} ${i.instance}`, { total: i.total, abnormal: i.abnormal }])),
      Object.fromEntries(Object.entries(instances).map(([k, s]) => [k, { total: s.total, abnormal: s.abnormal }])),
      label,
    );
    assert.ok(isSortedByTotal(body.services) && isSortedByTotal(body.routes) && isSortedByTotal(body.instances));
    return String(res.headers['x-closewatch-path']);
  }

  it('breaks down by service, route and instance for rollup filters', async () => {
    // Instance rollups key on service and code only: a route or initiator filter reads the instances from raw events.
    const expectedPath = (f: (typeof ROLLUP_FILTERS)[number]): string => ('route' in f || 'initiator' in f ? 'events' : 'rollups');
    for (const range of RANGES) for (const f of ROLLUP_FILTERS) assert.equal(await check(range, f), expectedPath(f));
  });

  it('lists no group whose closes all fall outside the window on a day read whole', async () => {
    // The last range's last day is read as the whole day less its hours after the window.
    const range = RANGES[RANGES.length - 1] as { from: number; to: number };
    const after = storedEvent({ ts: aligned(range.from, range.to).to + 10 * MINUTE, service: 'after-window', route: '/late', instance: 'late-1', code: 1011 });
    await t.app.db.writer.write([after]);
    events.push(after);
    const body = (await t.inject(`/api/v1/stats/breakdown?${rangeQuery(range, {})}`)).json<BreakdownBody>();
    assert.deepEqual([...body.services, ...body.routes, ...body.instances].filter((g) => g.service === 'after-window'), []);
    assert.equal(await check(range, {}), 'rollups');
  });

  it('breaks down raw-event filters', async () => {
    for (const f of RAW_FILTERS) assert.equal(await check(RANGES[0] as { from: number; to: number }, f), 'events');
  });
});

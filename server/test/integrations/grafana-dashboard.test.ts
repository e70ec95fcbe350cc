import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { REPO_ROOT } from '../../src/storage/database-url.js';
import { makeEvent } from '../helpers/events.js';
import { startPrometheus, type Prometheus } from '../helpers/prometheus.js';
import { startTestApp, TEST_KEY, TEST_READ_TOKEN, type TestApp } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

// docs/grafana/closewatch-dashboard.json, checked the way a user would use it: a real
// Prometheus (Debian's; .ci/run installs it) scrapes a real collector, and every query
// of every panel and variable runs there.

interface Target { expr: string; legendFormat?: string; datasource?: { uid?: string } }
interface Panel { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; datasource?: { uid?: string }; fieldConfig?: { defaults?: { unit?: string } }; targets?: Target[] }
interface Dashboard { uid: string; panels: Panel[]; templating: { list: Array<{ name: string; query: { query: string } }> } }

const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/grafana/closewatch-dashboard.json'), 'utf8')) as Dashboard;
const charts = dashboard.panels.filter((p) => p.type !== 'row');

/** Grafana's variables as a test can fill them: every job and service, a 5 s rate window (4 scrapes). */
const fill = (expr: string): string => expr.replaceAll('$__rate_interval', '5s').replaceAll('$__range', '1m').replaceAll('$job', '.*').replaceAll('$service', '.*');

let t: TestApp;
let prometheus: Prometheus;
before(async () => {
  t = await startTestApp();
  const url = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' }));
  prometheus = await startPrometheus(url.host, TEST_READ_TOKEN);
});
after(async () => {
  await prometheus?.stop();
  await t.destroy();
});

const send = (events: Array<Record<string, unknown>>) =>
  t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}` }, payload: { events } });

test('every panel has a title, a unit, the import data source and a place on a 24-column grid that no other panel takes', () => {
  assert.ok(charts.length >= 20, `${charts.length} panels`);
  const taken = new Set<string>();
  for (const p of charts) {
    assert.ok(p.title.length > 0);
    assert.ok(p.fieldConfig?.defaults?.unit, `${p.title}: a unit`);
    assert.equal(p.datasource?.uid, '${DS_PROMETHEUS}', `${p.title}: the data source chosen at import`);
    assert.ok((p.targets ?? []).length > 0, `${p.title}: a query`);
    assert.ok(p.gridPos.x >= 0 && p.gridPos.x + p.gridPos.w <= 24, `${p.title}: within 24 columns`);
    for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
      for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
        assert.ok(!taken.has(`${x},${y}`), `${p.title} overlaps another panel at ${x},${y}`);
        taken.add(`${x},${y}`);
      }
    }
  }
  assert.equal(new Set(dashboard.panels.map((p) => p.id)).size, dashboard.panels.length, 'panel ids are unique');
});

test('every metric the dashboard charts is one the collector exposes', async () => {
  const res = await t.inject('/metrics');
  const families = new Map(parsePrometheusTextFormat(res.body).map((f) => [f.name, f.type]));
  const exprs = [...charts.flatMap((p) => (p.targets ?? []).map((x) => x.expr)), ...dashboard.templating.list.map((v) => v.query.query)];
  const used = new Set(exprs.flatMap((e) => e.match(/closewatch_[a-z0-9_]+/g) ?? []));
  for (const name of used) {
    const histogramPart = /^(.*)_(bucket|sum|count)$/.exec(name);
    const known = families.has(name) || (histogramPart !== null && families.get(histogramPart[1] ?? '') === 'HISTOGRAM');
    assert.ok(known, `${name} is not in /metrics`);
  }
  assert.ok(used.size >= 20, `${used.size} metrics charted`);
});

test('Prometheus scraping the collector answers every query of the dashboard, with the numbers ingested', async () => {
  const first = [
    makeEvent({ id: 'g-1', code: 1000, service: 'chat' }),
    makeEvent({ id: 'g-2', code: 1000, service: 'chat' }),
    makeEvent({ id: 'g-3', code: 1011, service: 'chat' }),
    makeEvent({ id: 'g-4', code: 1006, service: 'feed' }),
    makeEvent({ id: 'g-5', code: 4001, service: 'feed' }),
    makeEvent({ id: 'bad', code: 70_000 }),
  ];
  assert.equal((await send(first)).json().accepted, 5);
  // Rates need the counters to move between scrapes: a second batch after Prometheus has seen the first.
  await waitFor('Prometheus to scrape the first batch', async () => Number((await prometheus.query('sum(closewatch_closes_total)'))[0]?.value[1]) === 5, 20_000);
  assert.equal((await send([makeEvent({ id: 'g-6', code: 1013, service: 'feed' }), makeEvent({ id: 'g-7', code: 1011, service: 'feed' })])).json().accepted, 2);
  await waitFor('Prometheus to scrape the second batch', async () => Number((await prometheus.query('sum(closewatch_closes_total)'))[0]?.value[1]) === 7, 20_000);

  const byCode = await prometheus.query(fill('sum by (code, name) (closewatch_closes_total{job=~"$job", service=~"$service"})'));
  assert.deepEqual(
    byCode.map((s) => [s.metric.code, s.metric.name, Number(s.value[1])]).sort(),
    [
      ['1000', 'Normal', 2],
      ['1006', 'Abnormal', 1],
      ['1011', 'Error', 2],
      ['1013', 'Again', 1],
      ['4xxx', 'Private (application)', 1],
    ],
  );
  for (const v of dashboard.templating.list) {
    const match = /^label_values\((.+), (\w+)\)$/.exec(fill(v.query.query));
    assert.ok(match, `variable ${v.name} is a label_values query`);
    const [, selector, label] = match;
    const res = await fetch(`${prometheus.url}/api/v1/label/${label}/values?${new URLSearchParams({ 'match[]': selector ?? '' })}`);
    const values = ((await res.json()) as { data: string[] }).data;
    assert.deepEqual(values, v.name === 'service' ? ['chat', 'feed'] : ['closewatch'], `variable ${v.name}`);
  }
  const answered: string[] = [];
  for (const p of charts) {
    for (const target of p.targets ?? []) {
      const result = await prometheus.query(fill(target.expr));
      if (result.length > 0) answered.push(p.title);
    }
  }
  // Panels on closes, ingest, storage and the process have data; those on alerts, exports
  // and the live feed may be empty (nothing happened) but their queries are valid.
  for (const title of ['Closes per second, by code', 'Share of closes, by code', 'Error (1011) closes in the range', 'Events per second', 'Rejected events per second, by field', 'Time to commit (acknowledgement latency)', 'Resident memory', 'Event loop delay (p99)']) {
    assert.ok(answered.includes(title), `"${title}" has data`);
  }
});

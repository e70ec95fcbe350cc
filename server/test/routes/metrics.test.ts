import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { MAX_SERVICE_LABELS } from '../../src/metrics/collector-metrics.js';
import { makeEvent } from '../helpers/events.js';
import { startTestApp, TEST_KEY, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.destroy());

const send = (events: Array<Record<string, unknown>>) =>
  t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}` }, payload: { events } });

async function scrape(): Promise<Map<string, Array<{ labels: Record<string, string>; value: number }>>> {
  const res = await t.inject('/metrics');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  const families = parsePrometheusTextFormat(res.body);
  return new Map(families.map((f) => [f.name, f.metrics.map((m) => ({ labels: m.labels ?? {}, value: Number(m.value ?? m.count) }))]));
}

const value = (m: Map<string, Array<{ labels: Record<string, string>; value: number }>>, name: string, labels: Record<string, string> = {}): number | undefined =>
  m.get(name)?.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

test('/metrics parses as Prometheus text and its counters equal what was ingested', async () => {
  const ids = Array.from({ length: 6 }, (_, i) => `m-${i}`);
  const first = await send([
    makeEvent({ id: ids[0], code: 1000, service: 'chat' }),
    makeEvent({ id: ids[1], code: 1011, service: 'chat' }),
    makeEvent({ id: ids[2], code: 1011, service: 'feed' }),
    makeEvent({ id: ids[3], code: 4001, service: 'feed' }),
    makeEvent({ id: ids[4], code: null, service: 'feed' }),
    makeEvent({ id: 'bad', code: 70_000 }),
  ]);
  assert.equal(first.json().accepted, 5);
  // A retry of two, and one new: duplicates are not counted as closes again.
  await send([makeEvent({ id: ids[0], code: 1000, service: 'chat' }), makeEvent({ id: ids[1], code: 1011, service: 'chat' }), makeEvent({ id: ids[5], code: 3001, service: 'chat' })]);
  await t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: 'Bearer nope-nope-nope-nope' }, payload: { events: [makeEvent()] } });

  const m = await scrape();
  assert.equal(value(m, 'closewatch_ingest_events_received_total'), 9);
  assert.equal(value(m, 'closewatch_ingest_events_accepted_total'), 6);
  assert.equal(value(m, 'closewatch_ingest_events_duplicate_total'), 2);
  assert.deepEqual(m.get('closewatch_ingest_events_rejected_total'), [{ labels: { field: 'code' }, value: 1 }]);
  assert.equal(value(m, 'closewatch_ingest_requests_refused_total', { status: '401' }), 1);
  assert.deepEqual(
    (m.get('closewatch_closes_total') ?? []).map((s) => [s.labels.service, s.labels.code, s.labels.name, s.value]).sort(),
    [
      ['chat', '1000', 'Normal', 1],
      ['chat', '1011', 'Error', 1],
      ['chat', '3xxx', 'Registered (library/framework)', 1],
      ['feed', '1011', 'Error', 1],
      ['feed', '4xxx', 'Private (application)', 1],
      ['feed', 'none', 'Empty', 1],
    ],
  );
  assert.equal(value(m, 'closewatch_ingest_batch_events'), 2, 'two requests reached validation (the histogram count)');
  assert.equal(value(m, 'closewatch_live_clients'), 0);
  assert.ok(m.has('closewatch_process_resident_memory_bytes'), 'process metrics');
  assert.ok(m.has('closewatch_storage_commit_seconds'));
});

test(`services beyond ${MAX_SERVICE_LABELS} are counted as other`, async () => {
  const events = Array.from({ length: MAX_SERVICE_LABELS + 5 }, (_, i) => makeEvent({ id: `svc-${i}`, code: 1000, service: `s-${String(i).padStart(3, '0')}` }));
  assert.equal((await send(events)).json().accepted, MAX_SERVICE_LABELS + 5);
  const closes = (await scrape()).get('closewatch_closes_total') ?? [];
  // chat and feed took two of the 100 labels earlier: 98 of these get their own, 7 go to other.
  assert.equal(closes.filter((s) => s.labels.service?.startsWith('s-')).length, MAX_SERVICE_LABELS - 2);
  assert.deepEqual(closes.filter((s) => s.labels.service === 'other').map((s) => [s.labels.code, s.value]), [['1000', 7]]);
});

import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { StoredCloseEvent } from '../../src/storage/types.js';
import { makeEvent } from '../helpers/events.js';
import { startTestApp, TEST_KEY, type TestApp } from '../helpers/test-app.js';
import { HOUR, makeEvents, seed } from '../query/fixtures.js';

// RETENTION_DAYS=1 and ROLLUP_RETENTION_DAYS=2 on a clock the test moves forward: a day
// of events is stored, then the clock moves so that half of them, and later all of
// them and part of the rollups, are past retention.
const DAY = 24 * HOUR;
const BATCH_ROWS = 500;
/**
 * The clock starts at 06:00 UTC (the last one not ahead of now) with 23 h of events behind
 * it. A fixed hour, because the day rollups start at midnight: started after noon, the
 * day bucket of the oldest events would begin before the first prune's rollup cut-off
 * (36 h back), and "rollups are kept longer" would fail on the time of day alone.
 */
const T = ((sixAm) => (sixAm <= Date.now() ? sixAm : sixAm - DAY))(Math.floor(Date.now() / DAY) * DAY + 6 * HOUR);
const N = 12_000;
const now = { value: T };

const ROLLUP_TABLES = [
  'close_rollup_minute', 'close_rollup_hour', 'lifetime_rollup_minute', 'lifetime_rollup_hour',
  'code_rollup_minute', 'instance_rollup_minute', 'instance_rollup_hour',
  'close_rollup_day', 'lifetime_rollup_day', 'instance_rollup_day', 'code_rollup_hour', 'code_rollup_day',
  'reason_rollup_minute', 'reason_rollup_hour', 'reason_rollup_day',
];

let t: TestApp;
let events: StoredCloseEvent[];
before(async () => {
  t = await startTestApp(
    // A read budget far above any read here: a busy machine must not fail a test of what is stored.
    { RETENTION_DAYS: '1', ROLLUP_RETENTION_DAYS: '2', PRUNE_INTERVAL_MINUTES: '0', PRUNE_BATCH_ROWS: String(BATCH_ROWS), READ_TIMEOUT_MS: '120000' },
    undefined,
    { clock: () => now.value },
  );
  const step = Math.floor((23 * HOUR) / N);
  // Distinct times (one every ~7 s), so every prune batch is exactly BATCH_ROWS rows.
  events = makeEvents(N, 11).map((e, i) => ({ ...e, ts: T - 23 * HOUR + i * step, receivedAt: T - 23 * HOUR + i * step + 500, reason: `${e.reason} ${'x'.repeat(80)}` }));
  await seed(t.app, events);
});
after(() => t.destroy());

const count = async (sql: string, ...params: number[]): Promise<number> => ((await t.query(sql, ...params))[0] as { n: number }).n;
const countAll = async (tables: readonly string[], where = '', ...params: number[]): Promise<number> => {
  let sum = 0;
  for (const table of tables) sum += await count(`SELECT count(*) AS n FROM ${table}${where}`, ...params);
  return sum;
};
/** SQLite gives freed pages back to the file system; PostgreSQL keeps them for reuse (autovacuum). */
const SQLITE = (): boolean => t.db.engine === 'sqlite';
/** The file's size once the write-ahead log is folded in (what the disk holds for the database itself). */
function fileBytes(): number {
  if (!SQLITE()) return 0;
  t.sqlite.pragma('wal_checkpoint(PASSIVE)');
  return statSync(t.db.path).size;
}
const range = (from: number, to: number) => `from=${from}&to=${to}`;
/** What the dashboard shows for a range: the figures of every panel that reads rollups, and one that reads raw events. */
async function dashboard(from: number, to: number, raw: boolean): Promise<Record<string, unknown>> {
  const get = async (path: string) => {
    const res = await t.inject(path);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const { previous: _previous, ...summary } = await get(`/api/v1/stats/summary?${range(from, to)}`);
  const answers: Record<string, unknown> = {
    summary,
    timeseriesCode: await get(`/api/v1/stats/timeseries?${range(from, to)}&groupBy=code`),
    timeseriesService: await get(`/api/v1/stats/timeseries?${range(from, to)}&groupBy=service&bucketMs=60000`),
    breakdown: await get(`/api/v1/stats/breakdown?${range(from, to)}`),
    lifetimes: await get(`/api/v1/stats/lifetimes?${range(from, to)}`),
  };
  if (raw) {
    const { previous: _p, ...labelled } = await get(`/api/v1/stats/summary?${range(from, to)}&label=region:eu`);
    answers.labelled = labelled;
    answers.reasons = await get(`/api/v1/stats/reasons?${range(from, to)}`);
  }
  return answers;
}

test('events older than RETENTION_DAYS are refused at ingest, naming ts, why and what to do', async () => {
  const old = makeEvent({ ts: Date.now() - 2 * DAY - 60_000 });
  const fresh = makeEvent();
  const res = await t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}` }, payload: { events: [fresh, old] } });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    accepted: 1,
    duplicates: 0,
    rejected: [
      {
        index: 1,
        field: 'ts',
        message:
          "ts is 2.0 days old, older than the 1-day retention (RETENTION_DAYS), so it would be deleted at once and was not stored; check the sending host's clock, or raise RETENTION_DAYS to keep older events",
      },
    ],
  });
  await t.query('DELETE FROM close_event WHERE event_id = ?', fresh.id as string);
});

test('raw events past RETENTION_DAYS go in batches; what the dashboard shows for the retained range stays; the file shrinks', async () => {
  now.value = T + 12 * HOUR;
  const cutoff = T - 12 * HOUR;
  const expected = events.filter((e) => e.ts < cutoff).length;
  assert.ok(expected > 5000 && expected < 7000, `about half the events are past retention (${expected})`);
  const shown = await dashboard(cutoff, T, true);
  const rollupRows = await countAll(ROLLUP_TABLES);
  const bytesBefore = fileBytes();

  const record = await t.app.retention.runNow();

  assert.equal(record.events, expected);
  assert.equal(record.batches, Math.ceil(expected / BATCH_ROWS), 'one transaction per 500 rows');
  assert.equal(record.rollupRows, 0, 'rollups are kept longer');
  assert.equal(await count('SELECT count(*) AS n FROM close_event'), N - expected);
  assert.equal(await count('SELECT count(*) AS n FROM close_event WHERE ts < ?', cutoff), 0);
  assert.equal(await countAll(ROLLUP_TABLES), rollupRows);
  assert.deepEqual(await dashboard(cutoff, T, true), shown);
  if (SQLITE()) {
    assert.ok(record.reclaimedBytes > 0, 'freed pages were given back');
    assert.equal(await count('SELECT freelist_count AS n FROM pragma_freelist_count()'), 0);
    const bytesAfter = fileBytes();
    assert.ok(bytesBefore - bytesAfter >= record.reclaimedBytes, `the file shrank by what was given back: ${bytesBefore} -> ${bytesAfter} bytes, ${record.reclaimedBytes} given back`);
  } else assert.equal(record.reclaimedBytes, 0);

  const status = (await t.inject('/api/v1/status')).json();
  assert.deepEqual(status.retention.lastPrune, record);
  assert.equal(status.events.stored, N - expected);
  assert.equal(status.events.oldest, events.find((e) => e.ts >= cutoff)?.ts);
});

test('rollups past ROLLUP_RETENTION_DAYS go in batches too, and the retained range still shows the same', async () => {
  now.value = T + 40 * HOUR;
  const cutoff = T - 8 * HOUR;
  const shown = await dashboard(cutoff, T, false);
  const expected = await countAll(ROLLUP_TABLES, ' WHERE bucket < ?', cutoff);
  const left = await countAll(ROLLUP_TABLES, ' WHERE bucket >= ?', cutoff);
  const bytesBefore = fileBytes();

  const record = await t.app.retention.runNow();

  assert.ok(SQLITE() ? record.reclaimedBytes > 0 : record.reclaimedBytes === 0);
  assert.equal(record.events, N - events.filter((e) => e.ts < T - 12 * HOUR).length, 'every raw event is now past RETENTION_DAYS');
  assert.equal(record.rollupRows, expected);
  assert.ok(record.batches > Math.ceil(record.events / BATCH_ROWS) + 1, `rollups went in several batches (${record.batches} in all)`);
  assert.equal(await countAll(ROLLUP_TABLES), left);
  assert.deepEqual(await dashboard(cutoff, T, false), shown);
  if (SQLITE()) {
    const bytesAfter = fileBytes();
    assert.ok(bytesBefore - bytesAfter >= record.reclaimedBytes, `the file shrank again: ${bytesBefore} -> ${bytesAfter} bytes, ${record.reclaimedBytes} given back`);
  }

  const status = (await t.inject('/api/v1/status')).json();
  assert.deepEqual(status.events, { stored: 0, oldest: null });
  assert.deepEqual(status.rollups, { rows: left, oldest: cutoff });

  const again = await t.app.retention.runNow();
  assert.deepEqual([again.events, again.rollupRows, again.batches, again.reclaimedBytes], [0, 0, 0, 0], 'nothing is left to prune');
});

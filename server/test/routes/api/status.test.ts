import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeEvent } from '../../helpers/events.js';
import { startTestApp, TEST_KEY, type TestApp } from '../../helpers/test-app.js';

let t: TestApp;
before(async () => {
  // A read budget far above any read here: a busy machine must not fail a test of what is counted.
  t = await startTestApp({ RETENTION_DAYS: '14', ROLLUP_RETENTION_DAYS: '90', WRITER_QUEUE_BATCHES: '500', READ_TIMEOUT_MS: '120000' });
});
after(() => t.destroy());

const status = async () => {
  const res = await t.inject('/api/v1/status');
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};
/** The database's size as the engine itself tells it (SQLite: pages; PostgreSQL: pg_database_size, nothing free to give back). */
const pageBytes = async (): Promise<{ bytes: number; free: number }> =>
  t.db.engine === 'sqlite'
    ? ((await t.query('SELECT c.page_count * s.page_size AS bytes, f.freelist_count * s.page_size AS free FROM pragma_page_count() AS c, pragma_page_size() AS s, pragma_freelist_count() AS f'))[0] as { bytes: number; free: number })
    : ((await t.query('SELECT pg_database_size(current_database()) AS bytes, 0 AS free'))[0] as { bytes: number; free: number });

test('GET /api/v1/status needs a read credential', async () => {
  const res = await t.app.inject('/api/v1/status');
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'NOT_SIGNED_IN');
  const ingestKey = await t.app.inject({ url: '/api/v1/status', headers: { authorization: `Bearer ${TEST_KEY}` } });
  assert.equal(ingestKey.statusCode, 403);
});

test('on an empty database: engine, size, nothing stored, the retention settings, no prune yet', async () => {
  const body = await status();
  assert.equal(typeof body.startedAt, 'number');
  assert.deepEqual({ ...body, startedAt: 0, database: { ...body.database, bytes: 0, freeBytes: 0 }, ingest: { ...body.ingest, windowSeconds: 0 } }, {
    version: '0.1.0',
    startedAt: 0,
    database: { engine: t.db.engine, bytes: 0, freeBytes: 0 },
    events: { stored: 0, oldest: null },
    opens: { stored: 0 },
    rollups: { rows: 0, oldest: null },
    retention: { eventsDays: 14, rollupsDays: 90, pruneIntervalMinutes: 0, pruneBatchRows: 2000, pruning: false, lastPrune: null },
    ingest: { eventsPerSecond: 0, windowSeconds: 0, eventsSinceStart: 0, writerQueueBatches: 0, writerQueueLimit: 500 },
  });
  const size = await pageBytes();
  assert.deepEqual([body.database.bytes, body.database.freeBytes], [size.bytes, size.free]);
});

test('after ingest: events and rollup rows counted, the oldest of each, events since start', async () => {
  const ts = Date.now() - 3 * 3_600_000;
  const res = await t.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: `Bearer ${TEST_KEY}` },
    payload: { events: [makeEvent({ ts }), makeEvent({ ts: ts + 1000 }), makeEvent({ ts: ts + 120_000, code: 1006 })] },
  });
  assert.equal(res.statusCode, 200);
  const body = await status();
  let rollupRows = 0;
  for (const table of ['close_rollup_minute', 'close_rollup_hour', 'lifetime_rollup_minute', 'lifetime_rollup_hour', 'code_rollup_minute', 'instance_rollup_minute', 'instance_rollup_hour', 'close_rollup_day', 'instance_rollup_day', 'lifetime_rollup_day', 'code_rollup_hour', 'code_rollup_day', 'reason_rollup_minute', 'reason_rollup_hour', 'reason_rollup_day']) {
    rollupRows += ((await t.query(`SELECT count(*) AS n FROM ${table}`))[0] as { n: number }).n;
  }
  assert.deepEqual(body.events, { stored: 3, oldest: ts });
  assert.deepEqual(body.rollups, { rows: rollupRows, oldest: Math.floor(ts / 3_600_000) * 3_600_000 });
  assert.equal(body.ingest.eventsSinceStart, 3);
  assert.equal(body.database.bytes, (await pageBytes()).bytes);
  assert.deepEqual(body.opens, { stored: 0 });
  // Open notices are counted apart from the events.
  const opens = await t.inject({
    method: 'POST',
    url: '/api/v1/opens',
    headers: { authorization: `Bearer ${TEST_KEY}` },
    payload: { opens: [{ id: 'o-1', clientKey: 'k-1', openedAt: ts, service: 'chat', instance: 'i-1', route: '/ws' }] },
  });
  assert.equal(opens.statusCode, 200, opens.body);
  const after = await status();
  assert.deepEqual([after.opens, after.events], [{ stored: 1 }, { stored: 3, oldest: ts }]);
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStore } from '../../src/storage/sqlite/event-store.js';
import { GroupCommitter } from '../../src/storage/sqlite/group-commit.js';
import { openSqlite } from '../../src/storage/sqlite/open-sqlite.js';
import { startTestApp, TEST_KEY, type TestApp } from '../helpers/test-app.js';
import { makeEvent, pick, seededRandom } from '../helpers/events.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.destroy());

const CODES = [1000, 1000, 1000, 1001, 1001, 1006, 1008, 1009, 1011, 1012, 1013, 4001, 4403, 3000, null] as const;
const SERVICES = ['chat', 'feed', 'presence'];
const ROUTES = ['/ws', '/ws/rooms', '/live'];
const REASONS = ['', 'bye', 'user 17 banned', 'user 8812 banned', 'session 3f2a9c1b7e4d expired', 'overloaded'];

type Row = { key: string; n: number };
const rows = (sql: string): Map<string, number> =>
  new Map((t.sqlite.prepare(sql).all() as Row[]).map((r) => [String(r.key), r.n]));

test('rollups equal raw event counts for every code and service after a randomized mixed load', async () => {
  const random = seededRandom(20261126);
  const now = Date.now();
  const sent: Array<Record<string, unknown>> = [];
  const requests: Array<Promise<unknown>> = [];
  for (let r = 0; r < 40; r++) {
    const size = 1 + Math.floor(random() * 200);
    const events = Array.from({ length: size }, () => {
      const withDuration = random() < 0.8;
      return makeEvent({
        ts: now - Math.floor(random() * 3 * 3_600_000),
        code: pick(random, CODES),
        reason: pick(random, REASONS),
        wasClean: random() < 0.7,
        initiator: pick(random, ['server', 'client', 'unknown']),
        service: pick(random, SERVICES),
        route: pick(random, ROUTES),
        durationMs: withDuration ? Math.floor(random() * 200_000) : null,
        bytesIn: Math.floor(random() * 5000),
      });
    });
    // A quarter of the requests retry events already sent: duplicates must not count.
    const retried = r % 4 === 3 ? sent.slice(-Math.floor(random() * 50)) : [];
    sent.push(...events);
    requests.push(
      t.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ events: [...events, ...retried] }),
      }),
    );
  }
  await Promise.all(requests);
  // The hours since the rollup watermark have minute rows only until they are rolled up.
  await t.app.db.writer.rollUp(now + 3_600_000);

  const expectedByCode = new Map<string, number>();
  const expectedByService = new Map<string, number>();
  let expectedWithDuration = 0;
  for (const e of sent) {
    const code = e.code === null ? '-1' : String(e.code);
    expectedByCode.set(code, (expectedByCode.get(code) ?? 0) + 1);
    expectedByService.set(String(e.service), (expectedByService.get(String(e.service)) ?? 0) + 1);
    if (e.durationMs !== null) expectedWithDuration += 1;
  }

  const rawByCode = rows('SELECT coalesce(code, -1) AS key, count(*) AS n FROM close_event GROUP BY 1');
  const rawByService = rows('SELECT service AS key, count(*) AS n FROM close_event GROUP BY 1');
  assert.deepEqual(rawByCode, expectedByCode);
  assert.deepEqual(rawByService, expectedByService);
  for (const table of ['close_rollup_minute', 'close_rollup_hour', 'close_rollup_day']) {
    assert.deepEqual(rows(`SELECT code AS key, sum(count) AS n FROM ${table} GROUP BY 1`), expectedByCode, table);
    assert.deepEqual(rows(`SELECT service AS key, sum(count) AS n FROM ${table} GROUP BY 1`), expectedByService, table);
  }
  for (const table of ['code_rollup_minute', 'code_rollup_hour', 'code_rollup_day', 'instance_rollup_minute', 'instance_rollup_hour', 'instance_rollup_day', 'reason_rollup_minute', 'reason_rollup_hour', 'reason_rollup_day']) {
    assert.deepEqual(rows(`SELECT code AS key, sum(count) AS n FROM ${table} GROUP BY 1`), expectedByCode, table);
    assert.deepEqual(rows(`SELECT service AS key, sum(count) AS n FROM ${table} GROUP BY 1`), expectedByService, table);
  }
  const instances = rows("SELECT service || '/' || instance AS key, count(*) AS n FROM close_event GROUP BY 1");
  assert.deepEqual(rows("SELECT service || '/' || instance AS key, sum(count) AS n FROM instance_rollup_hour GROUP BY 1"), instances);
  for (const table of ['lifetime_rollup_minute', 'lifetime_rollup_hour', 'lifetime_rollup_day']) {
    const total = t.sqlite.prepare(`SELECT sum(count) AS n FROM ${table}`).get() as { n: number };
    assert.equal(total.n, expectedWithDuration, table);
  }
  const clean = t.sqlite.prepare('SELECT sum(was_clean) AS n FROM close_event').get() as { n: number };
  const cleanRolled = t.sqlite.prepare('SELECT sum(clean_count) AS n FROM close_rollup_hour').get() as { n: number };
  assert.equal(cleanRolled.n, clean.n);
  assert.equal(clean.n, sent.filter((e) => e.wasClean).length);
  const byTemplate = rows("SELECT coalesce(code, -1) || ' ' || reason_template AS key, count(*) AS n FROM close_event GROUP BY 1");
  for (const table of ['reason_rollup_minute', 'reason_rollup_hour', 'reason_rollup_day']) {
    assert.deepEqual(rows(`SELECT code || ' ' || reason_template AS key, sum(count) AS n FROM ${table} GROUP BY 1`), byTemplate, table);
  }
  const lifetimes = rows('SELECT coalesce(code, -1) AS key, count(*) AS n FROM close_event WHERE duration_ms IS NOT NULL GROUP BY 1');
  assert.deepEqual(rows('SELECT code AS key, sum(count) AS n FROM lifetime_rollup_hour GROUP BY 1'), lifetimes);
  const templates = rows("SELECT reason_template AS key, sum(count) AS n FROM close_rollup_minute WHERE reason_template LIKE 'user%' GROUP BY 1");
  assert.deepEqual([...templates.keys()], ['user {n} banned']);
  assert.equal(templates.get('user {n} banned'), sent.filter((e) => String(e.reason).startsWith('user')).length);
});

test('a failed transaction stores nothing and rejects every batch in it', async () => {
  const before = (t.sqlite.prepare('SELECT count(*) AS n FROM close_event').get() as { n: number }).n;
  // A real trigger (not TEMP): the writer thread has its own connection.
  t.sqlite.exec("CREATE TRIGGER fail_on_boom BEFORE INSERT ON close_event WHEN NEW.service = 'boom' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
  try {
    const boom = await t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' }, payload: { events: [makeEvent(), makeEvent({ service: 'boom' })] } });
    assert.equal(boom.statusCode, 503);
    assert.equal(boom.json().error.message, 'the batch could not be stored and was not acknowledged (the database refused the write); retry it later (ids make the retry safe)');
    // Batches queued in the same turn share one transaction: a failure rejects them all.
    // (Checked on a committer of its own: the writer thread's message timing is not ours to pin.)
    const own = openSqlite(t.db.path);
    const committer = new GroupCommitter(new EventStore(own));
    const stored = { keyId: 'k', source: 'server', receivedAt: Date.now(), ts: Date.now(), code: 1000, reason: '', reasonTruncated: false, reasonTemplate: '', wasClean: true, initiator: 'server', instance: 'i', route: '/', durationMs: null, messagesIn: null, messagesOut: null, bytesIn: null, bytesOut: null, labels: {}, remoteAddrHash: null, clientKey: null, clientAgent: null, previousCode: null, reconnectDelayMs: null } as const;
    const results = await Promise.allSettled([
      committer.write([{ ...stored, eventId: 'shared-1', service: 'fine' }]),
      committer.write([{ ...stored, eventId: 'shared-2', service: 'boom' }]),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    own.close();
  } finally {
    t.sqlite.exec('DROP TRIGGER fail_on_boom');
  }
  const afterCount = (t.sqlite.prepare('SELECT count(*) AS n FROM close_event').get() as { n: number }).n;
  assert.equal(afterCount, before);
});

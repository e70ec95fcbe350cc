import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { makeEvent } from '../../helpers/events.js';
import { storedEvent } from '../../helpers/stored-event.js';
import { startTestApp, TEST_KEY, type TestApp } from '../../helpers/test-app.js';

// A read past its budget answers 503 READ_TIMEOUT at its deadline, while ingest and the
// probes go on. The read is made to outlast its budget for certain: a snapshot held by the
// test keeps the WAL past WAL_LIMIT_MB, so the read waits at the WAL gate (wal-gate.ts).

const LIMIT = 16 * 1024 * 1024;
let t: TestApp;
before(async () => {
  t = await startTestApp({ WAL_LIMIT_MB: '16', READ_TIMEOUT_MS: '300' });
  // Both read threads loaded (a thread's first read loads it, which may take longer than 300 ms here).
  for (let tries = 0; tries < 50; tries++) {
    const answers = await Promise.all([t.inject('/api/v1/stats/summary'), t.inject('/api/v1/stats/reasons')]);
    if (answers.every((a) => a.statusCode === 200)) break;
  }
});
after(() => t.destroy());

const walBytes = (): number => statSync(`${t.db.path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
const labels = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`label${i}`, 'x'.repeat(256)]));
let batchNo = 0;
async function writeBatch(): Promise<void> {
  batchNo += 1;
  await t.app.db.writer.write(Array.from({ length: 250 }, (_, i) => storedEvent({ eventId: `budget-${batchNo}-${i}`, labels: { ...labels, n: String(i) } })));
}

test('a read past READ_TIMEOUT_MS answers 503 READ_TIMEOUT saying what to do, while ingest and /healthz go on', async () => {
  const reader = new Database(t.db.path, { readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM close_event').get();
  try {
    for (let i = 0; i < 200 && walBytes() <= LIMIT; i++) await writeBatch();
    assert.ok(walBytes() > LIMIT);
    const [read, ingest, health] = await Promise.all([
      t.inject('/api/v1/stats/summary'),
      t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}` }, payload: { events: [makeEvent({ eventId: 'during-the-read' })] } }),
      t.inject('/healthz'),
    ]);
    assert.equal(read.statusCode, 503, `${read.body.slice(0, 200)} wal=${walBytes()}`);
    assert.deepEqual(read.json(), {
      error: {
        code: 'READ_TIMEOUT',
        message:
          'the query did not finish within 0.3 s (READ_TIMEOUT_MS); ask for a shorter range or fewer raw-event filters (instance, label), or retry when the collector is less busy',
      },
    });
    assert.equal(ingest.statusCode, 200, ingest.body);
    assert.equal(ingest.json().accepted, 1);
    assert.equal(health.statusCode, 200);
  } finally {
    reader.exec('COMMIT');
    reader.close();
  }
  // With the reader gone, the WAL starts over at the next commits and reads answer again.
  await writeBatch();
  await writeBatch();
  const again = await t.inject('/api/v1/stats/summary');
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(again.json().total, (t.sqlite.prepare('SELECT count(*) AS n FROM close_event').get() as { n: number }).n);
});

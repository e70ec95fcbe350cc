import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { makeEvent } from '../helpers/events.js';
import { postEvents, startCollectorProcess, storedEventIds } from '../helpers/collector-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const KEY = 'cw_shutdown_key_0123456789abcdef';
const READ_TOKEN = 'cw_shutdown_read_0123456789abcdef';
const BATCHES = 40;
const EVENTS_PER_BATCH = 250;

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(() => db.cleanup());

function settings(): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    CLOSEWATCH_INGEST_KEY: KEY,
    CLOSEWATCH_READ_TOKEN: READ_TOKEN,
    CLOSEWATCH_ADMIN_PASSWORD: 'shutdown-test-password',
    DASHBOARD_DIR: '',
    LOG_LEVEL: 'warn',
    LIVE_TICK_MS: '100',
    // Alert rounds run all the time, so SIGTERM meets one: it must save its state before the database closes.
    ALERT_EVAL_INTERVAL_MS: '50',
  };
}

test('SIGTERM: batches acknowledged right before it are stored, live sockets get 1001, alert rounds finish, exit 0 within 10 s', async () => {
  const from = Date.now() - 60_000;
  const collector = await startCollectorProcess({ env: settings() });

  const live = new WebSocket(`${collector.url.replace('http', 'ws')}/api/v1/live`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => live.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    live.once('message', () => resolve());
    live.once('error', reject);
  });

  // Many batches at once: SIGTERM goes out as the first is acknowledged, so the others are
  // in flight, queued for the writer or refused when it arrives.
  const batches = Array.from({ length: BATCHES }, (_, b) => Array.from({ length: EVENTS_PER_BATCH }, (_, i) => makeEvent({ id: `b${b}-e${i}` })));
  let signalledAt = 0;
  const statuses = await Promise.all(
    batches.map(async (events) => {
      const status = await postEvents(collector.url, KEY, events);
      if (signalledAt === 0) {
        signalledAt = Date.now();
        collector.child.kill('SIGTERM');
      }
      return status;
    }),
  );
  const exit = await collector.exited;
  const stopMs = Date.now() - signalledAt;

  assert.deepEqual(exit, { code: 0, signal: null }, collector.output());
  assert.ok(stopMs < 10_000, `the collector took ${stopMs} ms to stop`);
  assert.deepEqual(await closed, { code: 1001, reason: 'the collector is shutting down; reconnect in a moment' });
  // What was not acknowledged was refused whole: a closed port (0) or 503 while closing.
  assert.deepEqual(statuses.filter((s) => s !== 200 && s !== 0 && s !== 503), []);
  assert.doesNotMatch(collector.output(), /"level":(50|60)/, 'no error was logged while stopping');

  const acknowledged = batches.filter((_, i) => statuses[i] === 200).flatMap((events) => events.map((e) => e.id as string));
  assert.ok(acknowledged.length >= EVENTS_PER_BATCH, 'at least the first batch was acknowledged');

  const restarted = await startCollectorProcess({ env: settings() });
  try {
    const stored = await storedEventIds(restarted.url, READ_TOKEN, from, Date.now() + 60_000);
    assert.deepEqual(stored.sort(), acknowledged.sort());
  } finally {
    assert.deepEqual(await restarted.stop(), { code: 0, signal: null });
  }
});

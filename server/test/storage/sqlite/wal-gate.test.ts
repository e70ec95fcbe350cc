import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { storedEvent } from '../../helpers/stored-event.js';
import { GATE_GIVE_UP_MS, GATE_MAX_WAIT_MS } from '../../../src/storage/sqlite/wal-gate.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const LIMIT = 16 * 1024 * 1024;
let t: TestApp;
before(async () => {
  t = await startTestApp({ WAL_LIMIT_MB: '16' });
  // Both read threads started (a thread's first read loads it, which takes a while).
  await Promise.all([t.inject('/api/v1/stats/summary'), t.inject('/api/v1/stats/reasons')]);
});
after(() => t.destroy());

const walBytes = (): number => statSync(`${t.db.path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// About 4 KiB an event, so the WAL passes the limit in a few thousand events.
const labels = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`label${i}`, 'x'.repeat(256)]));
let batchNo = 0;
async function writeBatch(): Promise<void> {
  batchNo += 1;
  const result = await t.app.db.writer.write(Array.from({ length: 250 }, (_, i) => storedEvent({ eventId: `wal-${batchNo}-${i}`, labels: { ...labels, n: String(i) } })));
  assert.equal(result.accepted, 250);
}

/** A reader of the test's own that keeps the snapshot it took, as a long dashboard read does. */
function holdSnapshot(): () => void {
  const reader = new Database(t.db.path, { readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM close_event').get();
  return () => {
    reader.exec('COMMIT');
    reader.close();
  };
}

async function writePastLimit(): Promise<number> {
  for (let i = 0; i < 200 && walBytes() <= LIMIT; i++) await writeBatch();
  const size = walBytes();
  assert.ok(size > LIMIT, `the WAL reached only ${size} bytes`);
  return size;
}

test('with no reader holding a snapshot, steady ingest keeps the WAL under the limit and never holds reads back', async () => {
  let largest = 0;
  for (let i = 0; i < 60; i++) {
    await writeBatch();
    largest = Math.max(largest, walBytes());
  }
  // 60 batches of ~1 MiB: several times the limit went through the WAL.
  assert.ok(largest <= LIMIT, `the WAL grew to ${largest} bytes`);
  assert.equal((await t.inject('/api/v1/stats/summary')).statusCode, 200);
});

test('past the limit new reads wait for the WAL to start over, and it is cut back to the limit', async () => {
  const release = holdSnapshot();
  await writePastLimit();
  const reading = t.inject('/api/v1/stats/summary');
  await sleep(300);
  release();
  // The first commit with no reader left checkpoints everything, the next starts the WAL over.
  await writeBatch();
  await writeBatch();
  const res = await reading;
  assert.equal(res.statusCode, 200);
  // It waited: its snapshot has the two batches written after the reader left.
  assert.equal(res.json().total, await countEvents());
  assert.ok(walBytes() <= LIMIT, `the WAL is still ${walBytes()} bytes`);
});

test('when ingest stops with the WAL past the limit, the writer truncates it itself', async () => {
  const release = holdSnapshot();
  await writePastLimit();
  release();
  const deadline = Date.now() + 10_000;
  while (walBytes() > 0 && Date.now() < deadline) await sleep(50);
  assert.equal(walBytes(), 0);
  const res = await t.inject('/api/v1/stats/summary');
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().total, await countEvents());
});

async function countEvents(): Promise<number> {
  return (t.sqlite.prepare('SELECT count(*) AS n FROM close_event').get() as { n: number }).n;
}

test('a snapshot held for long (a backup) holds reads back for GATE_GIVE_UP_MS at most', async () => {
  const release = holdSnapshot();
  try {
    await writePastLimit();
    const started = Date.now();
    // Reads during the first GATE_GIVE_UP_MS each wait up to GATE_MAX_WAIT_MS, and all succeed.
    while (Date.now() - started < GATE_GIVE_UP_MS) assert.equal((await t.inject('/api/v1/stats/summary')).statusCode, 200);
    // After it, the same gate (still closed: the WAL cannot start over) holds nothing back.
    const after = Date.now();
    for (let i = 0; i < 5; i++) assert.equal((await t.inject('/api/v1/stats/summary')).statusCode, 200);
    assert.ok(Date.now() - after < GATE_MAX_WAIT_MS, `5 reads took ${Date.now() - after} ms: they still waited for the gate`);
    assert.ok(walBytes() > LIMIT);
  } finally {
    release();
  }
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { makeEvent } from '../helpers/events.js';
import { storedEvent } from '../helpers/stored-event.js';
import { startTestApp, TEST_KEY, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ WRITER_HEAP_MB: '32', WRITER_QUEUE_MB: '1024', MAX_BODY_BYTES: String(64 * 1024 * 1024) });
});
after(() => t.destroy());

const ingest = (events: Array<Record<string, unknown>>) =>
  t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}` }, payload: { events } });
/** /readyz once the new writer thread answers (starting one takes a moment on a loaded machine). */
async function readyAgain(): Promise<{ restarts: number; lastFailure: string | null }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await t.inject('/readyz');
    if (res.statusCode === 200) return res.json().writer;
    assert.equal(res.json().error.code, 'WRITER_UNAVAILABLE', res.body);
    if (Date.now() > deadline) throw new Error(`/readyz still answers ${res.body}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const stored = (): number => (t.sqlite.prepare('SELECT count(*) AS n FROM close_event').get() as { n: number }).n;

test('a writer thread that dies fails its pending writes, is replaced, and /readyz says so', async () => {
  assert.equal((await ingest([makeEvent()])).statusCode, 200);
  const ready = await t.inject('/readyz');
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json().writer, { restarts: 0, lastFailure: null });

  // A batch far larger than the writer thread's heap (WRITER_HEAP_MB=32): the thread dies
  // while receiving it, before it can store anything; the batch queued behind it dies too.
  const labels = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`label${i}`, 'x'.repeat(256)]));
  const huge = Array.from({ length: 30_000 }, (_, i) => storedEvent({ eventId: `huge-${i}`, labels: { ...labels, n: String(i) } }));
  const results = await Promise.allSettled([t.app.db.writer.write(huge), t.app.db.writer.write([storedEvent({ eventId: 'behind' })])]);
  const reason = 'the writer thread ran out of memory (see WRITER_HEAP_MB)';
  assert.deepEqual(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.status)), [reason, reason]);

  assert.deepEqual(await readyAgain(), { restarts: 1, lastFailure: reason });
  assert.equal((await ingest([makeEvent(), makeEvent(), makeEvent()])).statusCode, 200);
  assert.equal(stored(), 4, 'the failed batches stored nothing, the others everything');
});

test('ingest answers 503 with Retry-After when the writer dies holding its batch', async () => {
  const before = stored();
  const labels = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`label${i}`, 'y'.repeat(256)]));
  const events = Array.from({ length: 10_000 }, (_, i) => makeEvent({ labels: { ...labels, n: String(i) } }));
  const res = await ingest(events);
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers['retry-after'], '5');
  assert.deepEqual(res.json(), {
    error: {
      code: 'STORAGE_UNAVAILABLE',
      message: 'the batch could not be stored and was not acknowledged (the writer thread ran out of memory (see WRITER_HEAP_MB)); retry it later (ids make the retry safe)',
    },
  });
  assert.equal(stored(), before);
  assert.equal((await readyAgain()).restarts, 2);
});

test('failing commits make /readyz answer 503 with a short reason until a write succeeds', async () => {
  const before = stored();
  t.sqlite.exec("CREATE TRIGGER refuse_boom BEFORE INSERT ON close_event WHEN NEW.service = 'boom' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
  try {
    const failed = await ingest([makeEvent({ service: 'boom' })]);
    assert.equal(failed.statusCode, 503);
    assert.match(failed.json().error.message, /^the batch could not be stored and was not acknowledged \(the database refused the write\)/);
    const ready = await t.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), {
      error: { code: 'WRITER_UNAVAILABLE', message: 'ingest cannot store events: the last 1 write(s) failed: the database refused the write' },
    });
    assert.doesNotMatch(ready.body, /disk on fire|\//, 'no raw database error and no path');
  } finally {
    t.sqlite.exec('DROP TRIGGER refuse_boom');
  }
  assert.equal((await ingest([makeEvent()])).statusCode, 200);
  const healed = await t.inject('/readyz');
  assert.equal(healed.statusCode, 200);
  assert.equal(healed.json().writer.lastFailure, 'the database refused the write');
  assert.equal(stored(), before + 1);
});

test('a full writer queue refuses batches with 503 and Retry-After, and nothing acknowledged is lost', async () => {
  const q = await startTestApp({ WRITER_QUEUE_BATCHES: '2' });
  try {
    const send = (events: Array<Record<string, unknown>>) =>
      q.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}` }, payload: { events } });
    // Another connection holds the write lock, so two batches wait in the queue and the
    // third is refused. All three are sent at once: the refusal comes within milliseconds,
    // long before the writer's 5 s busy timeout would fail the waiting ones on a slow machine.
    const blocker = new Database(q.db.path);
    blocker.pragma('busy_timeout = 5000');
    blocker.exec('BEGIN IMMEDIATE');
    const batches = [[makeEvent()], [makeEvent(), makeEvent()], [makeEvent()]];
    const sends = batches.map((events) => send(events));
    const first = await Promise.race(sends.map((p, index) => p.then((res) => ({ index, res }))));
    const refused = first.res;
    assert.equal(refused.statusCode, 503, refused.body);
    assert.equal(refused.headers['retry-after'], '2', refused.body);
    assert.deepEqual(refused.json(), {
      error: { code: 'WRITER_BUSY', message: "the collector is taking more than its disk writes (2 batches waiting); the batch was not stored, retry it in 2 s" },
    });
    blocker.exec('ROLLBACK');
    blocker.close();
    const answers = await Promise.all(sends);
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 200, 503], answers.map((r) => r.body).join(' | '));
    const acknowledged = batches.filter((_, i) => i !== first.index).reduce((n, b) => n + b.length, 0);
    assert.equal((await send([makeEvent()])).statusCode, 200, 'the retry is taken once the queue drained');
    assert.deepEqual(q.sqlite.prepare('SELECT count(*) AS n FROM close_event').get(), { n: acknowledged + 1 });
  } finally {
    await q.destroy();
  }
});

test('the writer queue is bounded by bytes too: a batch past WRITER_QUEUE_MB waits for none, 503 with Retry-After, nothing lost', async () => {
  const q = await startTestApp({ WRITER_QUEUE_MB: '1' });
  try {
    const send = (events: Array<Record<string, unknown>>) =>
      q.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}` }, payload: { events } });
    // ~4 KiB of labels an event: 150 events weigh well over 1 MiB in the queue's estimate.
    const labels = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`label${i}`, 'z'.repeat(256)]));
    const heavy = () => Array.from({ length: 150 }, (_, i) => makeEvent({ labels: { ...labels, n: String(i) } }));
    const blocker = new Database(q.db.path);
    blocker.pragma('busy_timeout = 5000');
    blocker.exec('BEGIN IMMEDIATE');
    // The first batch is always taken (an empty queue holds any batch); the second would pass the byte bound.
    const first = send(heavy());
    while (q.app.db.writer.pendingBatches === 0) await new Promise((resolve) => setImmediate(resolve));
    const refused = await send(heavy());
    assert.equal(refused.statusCode, 503, refused.body);
    assert.equal(refused.headers['retry-after'], '2');
    assert.equal(refused.json().error.code, 'WRITER_BUSY');
    assert.match(refused.json().error.message, /^the collector is taking more than its disk writes \(\d+ MiB waiting\); the batch was not stored, retry it in 2 s$/);
    blocker.exec('ROLLBACK');
    blocker.close();
    assert.equal((await first).statusCode, 200);
    assert.equal((await send(heavy())).statusCode, 200, 'the retry is taken once the queue drained');
    assert.deepEqual(q.sqlite.prepare('SELECT count(*) AS n FROM close_event').get(), { n: 300 });
  } finally {
    await q.destroy();
  }
});

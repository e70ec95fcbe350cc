import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openStorage } from '../../../src/storage/open-storage.js';
import type { Storage } from '../../../src/storage/storage.js';
import { MINUTE_MS } from '../../../src/storage/types.js';
import { storedEvent } from '../../helpers/stored-event.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../../helpers/test-database.js';
import { waitFor } from '../../helpers/wait-for.js';

// Two storages on one PostgreSQL database are two collectors: what one commits, the
// other's live tail must see, also when their commits land out of seq order.

const skip = TEST_ENGINE !== 'postgres' && 'PostgreSQL only (npm run test:postgres)';

let db: TestDatabase;
let a: Storage;
let b: Storage;
let blocker: pg.Client;

const open = (url: string): Promise<Storage> =>
  openStorage({ url, writerHeapMb: 64, maxRoutesPerServiceHour: 500, maxQueuedBatches: 100, maxQueuedBytes: 64 << 20, readWorkers: 2, readBudgetMs: 10_000 });

describe('two collectors on one PostgreSQL database', { skip }, () => {
  before(async () => {
    db = await createTestDatabase();
    a = await open(db.url);
    b = await open(db.url);
    blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
  });
  after(async () => {
    await blocker?.end();
    await a?.close();
    await b?.close();
    await db?.cleanup();
  });

  it('the live tail sees a commit that lands after a higher seq was already seen', async () => {
    const minute = Date.now() - (Date.now() % MINUTE_MS);
    // A rollup row the first writer will have to update.
    await a.writer.write([storedEvent({ service: 'slow', ts: minute + 1 })]);
    const tail = await b.tail.open();
    assert.deepEqual(await tail.next(100), [], 'a cursor starts at what is committed');

    // Hold that rollup row: the first writer inserts its event (taking a seq) and waits.
    await blocker.query('BEGIN');
    await blocker.query("SELECT count FROM code_rollup_minute WHERE service = 'slow' FOR UPDATE");
    const slow = storedEvent({ service: 'slow', ts: minute + 2 });
    const slowWrite = a.writer.write([slow]);
    await waitFor('the first writer to wait on the held row', async () => {
      const r = await blocker.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'closewatch ingest'");
      return (r.rows[0] as { n: number }).n === 1;
    });

    // The other collector writes a higher seq and commits first.
    const fast = storedEvent({ service: 'fast', ts: minute + 3 });
    await b.writer.write([fast]);
    const first = await tail.next(100);
    assert.deepEqual(first.map((e) => e.eventId), [fast.eventId]);

    // "seq above the last seen" would now skip the slow event for good:
    await blocker.query('COMMIT');
    await slowWrite;
    const seqOfFast = first[0]?.seq ?? 0;
    const naive = await b.events.after(seqOfFast, 100);
    assert.deepEqual(naive, [], 'the slow event has a lower seq than one already seen');
    assert.ok(((await a.events.page({ from: 0, to: Date.now() + MINUTE_MS }, { service: 'slow' }, Number.MAX_SAFE_INTEGER, 10)).find((e) => e.eventId === slow.eventId)?.seq ?? Infinity) < seqOfFast);

    // The tail was told of it at its commit.
    const second = await tail.next(100);
    assert.deepEqual(second.map((e) => e.eventId), [slow.eventId]);
    assert.deepEqual(await tail.next(100), [], 'each event once');
    tail.close();
  });

  it('interleaved writers: every committed event reaches the tail exactly once', async () => {
    const tail = await a.tail.open();
    const sent = new Set<string>();
    const writes: Array<Promise<unknown>> = [];
    for (let round = 0; round < 40; round += 1) {
      const batch = Array.from({ length: 1 + (round % 7) }, (_, i) => storedEvent({ service: `svc-${i % 3}`, code: 1000 + (round % 12) }));
      for (const e of batch) sent.add(e.eventId);
      writes.push((round % 2 === 0 ? a : b).writer.write(batch));
    }
    const seen: string[] = [];
    await Promise.all(writes);
    await waitFor('every event on the tail', async () => {
      seen.push(...(await tail.next(10_000)).map((e) => e.eventId));
      return seen.length >= sent.size;
    });
    assert.equal(seen.length, sent.size);
    assert.deepEqual(new Set(seen), sent);
    tail.close();
  });

  it('a duplicate sent to both collectors is stored once', async () => {
    const e = storedEvent({ service: 'dup' });
    const [ra, rb] = await Promise.all([a.writer.write([e]), b.writer.write([e])]);
    assert.equal(ra.accepted + rb.accepted, 1);
    assert.equal(ra.duplicates + rb.duplicates, 1);
    const rows = await blocker.query("SELECT count(*)::int AS n FROM close_event WHERE service = 'dup'");
    assert.equal((rows.rows[0] as { n: number }).n, 1);
    const rolled = await blocker.query("SELECT sum(count)::int AS n FROM close_rollup_minute WHERE service = 'dup'");
    assert.equal((rolled.rows[0] as { n: number }).n, 1);
  });

  it('one leader at a time; when its session ends, the other takes over at its next ask', async () => {
    const leaders = [await a.leader.holds(), await b.leader.holds()];
    assert.equal(leaders.filter(Boolean).length, 1, `exactly one leads: ${JSON.stringify(leaders)}`);
    const [holder, other] = leaders[0] ? [a, b] : [b, a];
    assert.equal(await holder.leader.holds(), true, 'the holder keeps it');
    assert.equal(await other.leader.holds(), false);
    // The holder's session dies (its process was killed, its connection cut).
    await blocker.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'closewatch leader' AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)");
    await waitFor('the other collector to lead', () => other.leader.holds());
    assert.equal(await holder.leader.holds(), false, 'the old holder no longer leads');
  });

  it('alert messages published by one collector reach both', async () => {
    const got: { a: unknown[]; b: unknown[] } = { a: [], b: [] };
    const offA = a.bus.subscribe((m) => got.a.push(m));
    const offB = b.bus.subscribe((m) => got.b.push(m));
    await a.bus.publish({ type: 'alert', change: 'firing', ruleId: 'r1' });
    await waitFor('both collectors to hear it', () => got.a.length === 1 && got.b.length === 1);
    assert.deepEqual(got.b, [{ type: 'alert', change: 'firing', ruleId: 'r1' }]);
    offA();
    offB();
  });
});

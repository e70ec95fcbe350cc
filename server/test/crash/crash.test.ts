import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { ChurnFleet } from '../helpers/churn-fleet.js';
import { freePort, startCollectorProcess, type CollectorProcess } from '../helpers/fixed-port-collector.js';
import { createTestDatabase } from '../helpers/test-database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** What the collector stored for one service: rows by code, distinct ids, and what the rollups count. */
function storedFor(path: string, service: string) {
  const db = new Database(path, { readonly: true });
  try {
    const byCode = new Map<number, number>();
    for (const row of db.prepare('SELECT code, count(*) AS n FROM close_event WHERE service = ? GROUP BY code').all(service) as Array<{ code: number; n: number }>) {
      byCode.set(row.code, row.n);
    }
    const { rows, ids } = db.prepare('SELECT count(*) AS rows, count(DISTINCT key_id || event_id) AS ids FROM close_event WHERE service = ?').get(service) as { rows: number; ids: number };
    const { rolled } = db.prepare('SELECT coalesce(sum(count), 0) AS rolled FROM code_rollup_minute WHERE service = ?').get(service) as { rolled: number };
    const { dropped } = db.prepare('SELECT coalesce(sum(dropped), 0) AS dropped FROM drop_report WHERE service = ?').get(service) as { dropped: number };
    return { byCode, rows, ids, rolled, dropped };
  } finally {
    db.close();
  }
}

const sorted = (m: Map<number, number>) => [...m.entries()].sort((a, b) => a[0] - b[0]);

test('killed with SIGKILL three times under load, the collector stores every close the fleet saw exactly once', async (ctx) => {
  const db = await createTestDatabase();
  cleanups.push(() => db.cleanup());
  const port = await freePort();
  let collector: CollectorProcess = await startCollectorProcess(db.path, port);
  cleanups.push(() => collector.stop('SIGKILL'));
  const fleet = new ChurnFleet({ collectorUrl: collector.url, service: 'crashy', servers: 3, clientsPerServer: 3, maxQueue: 1_000_000 });
  cleanups.push(() => fleet.abort());
  await fleet.start();

  const moments: number[] = [];
  for (let kill = 0; kill < 3; kill += 1) {
    const wait = 1000 + Math.floor(Math.random() * 2500);
    moments.push(wait);
    await sleep(wait);
    const before = fleet.closed;
    await collector.stop('SIGKILL');
    collector = await startCollectorProcess(db.path, port);
    assert.ok(fleet.closed > before, 'the fleet kept closing connections while the collector was down');
  }
  await sleep(1000);
  const stats = await fleet.stop();

  const queued = stats.reduce((n, s) => n + s.queued + s.inFlight, 0);
  const dropped = stats.reduce((n, s) => n + s.dropped, 0);
  const failed = stats.reduce((n, s) => n + s.failed, 0);
  assert.deepEqual({ queued, dropped, failed }, { queued: 0, dropped: 0, failed: 0 }, `kills after ${moments.join(', ')} ms`);
  await collector.stop('SIGTERM');
  const stored = storedFor(db.path, 'crashy');
  assert.ok(fleet.closed > 200, `a real load (${fleet.closed} closes)`);
  assert.equal(stored.rows, fleet.closed, `every close stored (kills after ${moments.join(', ')} ms)`);
  assert.equal(stored.ids, stored.rows, 'each once');
  assert.deepEqual(sorted(stored.byCode), sorted(fleet.closedByCode), 'by code, as the servers saw them');
  assert.equal(stored.rolled, fleet.closed, 'rollups count each stored event once');
  const delivered = stats.reduce((n, s) => n + s.delivered, 0);
  ctx.diagnostic(`${fleet.closed} closes stored once each; SIGKILL after ${moments.join(', ')} ms; ${delivered - fleet.closed} redelivered as duplicates`);
});

test('a 30 s outage: the SDK buffers and delivers everything; with a queue too small, what it reports dropped is exactly what is missing', async (ctx) => {
  const db = await createTestDatabase();
  cleanups.push(() => db.cleanup());
  const port = await freePort();
  let collector: CollectorProcess = await startCollectorProcess(db.path, port);
  cleanups.push(() => collector.stop('SIGKILL'));
  const buffered = new ChurnFleet({ collectorUrl: collector.url, service: 'buffered', servers: 2, clientsPerServer: 2, maxQueue: 1_000_000, pauseMs: 20 });
  const bounded = new ChurnFleet({ collectorUrl: collector.url, service: 'bounded', servers: 1, clientsPerServer: 2, maxQueue: 20, pauseMs: 20 });
  cleanups.push(() => buffered.abort(), () => bounded.abort());
  await buffered.start();
  await bounded.start();

  await sleep(2000);
  await collector.stop('SIGTERM');
  const down = { buffered: buffered.closed, bounded: bounded.closed };
  await sleep(30_000);
  assert.ok(bounded.closed - down.bounded > 20 * 3, `the outage outgrew the small queue (${bounded.closed - down.bounded} closes)`);
  collector = await startCollectorProcess(db.path, port);
  await sleep(2000);
  const [bufferedStats, boundedStats] = [await buffered.stop(), await bounded.stop()];
  await collector.stop('SIGTERM');

  const big = storedFor(db.path, 'buffered');
  const bigDropped = bufferedStats.reduce((n, s) => n + s.dropped, 0);
  assert.equal(bigDropped, 0);
  assert.equal(big.rows, buffered.closed, 'everything buffered during the outage was delivered');
  assert.equal(big.ids, big.rows);
  assert.deepEqual(sorted(big.byCode), sorted(buffered.closedByCode));

  const small = storedFor(db.path, 'bounded');
  const smallDropped = boundedStats.reduce((n, s) => n + s.dropped, 0);
  assert.ok(smallDropped > 0, 'the small queue dropped');
  assert.equal(boundedStats.reduce((n, s) => n + s.queued + s.inFlight, 0), 0);
  assert.equal(bounded.closed - small.rows, smallDropped, 'the dropped count equals the events missing');
  assert.equal(small.dropped, smallDropped, 'and the collector was told (drop reports)');
  assert.equal(small.ids, small.rows);
  ctx.diagnostic(`buffered: ${buffered.closed} closes, all stored; bounded: ${bounded.closed} closes, ${small.rows} stored, ${smallDropped} dropped`);
});

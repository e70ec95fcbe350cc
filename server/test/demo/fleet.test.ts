import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFleet } from '../../src/demo/fleet.js';
import { POPULATIONS } from '../../src/demo/populations.js';
import type { Reconnect } from '../../src/demo/returning-client.js';
import { startTestApp, TEST_KEY, type TestApp } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

/** Codes the demo's mix must show. */
const MIX = [1000, 1001, 1006, 1008, 1011, 1012, 1013];

let t: TestApp;
let url: string;
before(async () => {
  t = await startTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
after(() => t.destroy());

/** Stored events by close code, in code order. */
function storedByCode(): Map<number, number> {
  const rows = t.sqlite.prepare('SELECT code, count(*) AS n FROM close_event GROUP BY code ORDER BY code').all() as Array<{ code: number; n: number }>;
  return new Map(rows.map((r) => [r.code, r.n]));
}

test('the demo fleet closes real connections in a realistic mix and every close arrives exactly once', async () => {
  const errors: string[] = [];
  const fleet = await startFleet({
    collectorUrl: url,
    apiKey: TEST_KEY,
    connectionsPerSecond: 80,
    spikeAtStart: true,
    spikeDurationMs: 1500,
    restartEveryMs: 1200,
    maxLifetimeMs: 1000,
    // Which service, scenario and lifetime each client gets, and how servers answer it,
    // come from this seed; only timing (which sockets a restart or spike meets) varies.
    seed: 20261201,
    onError: (error) => errors.push(error.message),
  });
  // At least 4 s of traffic, and on until the fleet itself has closed with every code of
  // the mix (on a loaded machine fewer clients get as far as, say, an expired token in 4 s).
  await new Promise((resolve) => setTimeout(resolve, 4000));
  await waitFor('the fleet to close with every code of the mix', () => MIX.every((code) => (fleet.closes.get(code) ?? 0) > 0), 60_000);
  await fleet.stop();

  const stored = storedByCode();
  assert.deepEqual(errors, []);
  assert.deepEqual(stored, new Map([...fleet.closes.entries()].sort((a, b) => a[0] - b[0])));
  for (const code of MIX) assert.ok((stored.get(code) ?? 0) > 0, `expected some ${code} closes`);
  const services = t.sqlite.prepare('SELECT DISTINCT service FROM close_event ORDER BY 1').all();
  assert.deepEqual(services, [{ service: 'chat' }, { service: 'feed' }, { service: 'trading' }]);
  const trading1013 = t.sqlite.prepare("SELECT count(*) AS n FROM close_event WHERE code = 1013 AND service <> 'trading'").get() as { n: number };
  assert.equal(trading1013.n, 0, 'only the overloaded service sheds with 1013');
  // The SDK's open notices (reportOpens) came through the same fleet: each names the
  // connection whose close event carries its id, on the same instance, for the same client.
  const notices = t.sqlite.prepare(`SELECT COUNT(*) AS n, COUNT(e.seq) AS closed,
      SUM(CASE WHEN e.seq IS NOT NULL AND (e.client_key <> o.client_key OR e.instance <> o.instance OR e.service <> o.service) THEN 1 ELSE 0 END) AS mismatched
    FROM connection_open o LEFT JOIN close_event e ON e.key_id = o.key_id AND e.event_id = o.notice_id`).get() as { n: number; closed: number; mismatched: number | null };
  assert.ok(notices.n > 0, 'some connections lived past a flush and were reported when they opened');
  assert.equal(notices.closed, notices.n, 'the fleet stopped: every reported connection has closed since');
  assert.equal(notices.mismatched, 0);
});

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

test('after rolling restarts the populations come back as their policies say: eager at once, fixed after 1 s, well-behaved after 5-30 s', async () => {
  const errors: string[] = [];
  const earlier = storedByCode();
  const fleet = await startFleet({
    collectorUrl: url,
    apiKey: TEST_KEY,
    connectionsPerSecond: 4,
    restartEveryMs: 700,
    clientsPerPopulation: 4,
    seed: 20261202,
    onError: (error) => errors.push(error.message),
  });
  const of = (name: string): Reconnect[] => fleet.reconnects.filter((r) => r.population === name);
  // Well-behaved clients wait at least 5 s; three returns of each population are enough.
  await waitFor('three returns of every population', () => POPULATIONS.every(({ name }) => of(name).length >= 3), 90_000);
  await fleet.stop();
  assert.deepEqual(errors, []);

  const eager = of('eager');
  const fixed = of('fixed');
  const wellBehaved = of('well-behaved');
  for (const r of fleet.reconnects) {
    assert.ok([1001, 1012].includes(r.code), `a rolling restart closes with 1012 or 1001, got ${r.code}`);
    assert.match(r.client, new RegExp(`^${r.population}:[1-4]$`));
    // Timers never fire early by more than the clock's millisecond.
    assert.ok(r.observedMs >= r.scheduledMs - 1, `${r.client} came back after ${r.observedMs} ms, before its ${r.scheduledMs} ms`);
  }
  assert.deepEqual(new Set(eager.map((r) => r.scheduledMs)), new Set([0]));
  assert.deepEqual(new Set(fixed.map((r) => r.scheduledMs)), new Set([1000]));
  for (const r of wellBehaved) assert.ok(r.scheduledMs >= 5000 && r.scheduledMs <= 30_000, `well-behaved delay ${r.scheduledMs} ms`);
  // Randomized, not fixed: three draws from 25,001 values are not all one.
  assert.ok(new Set(wellBehaved.map((r) => r.scheduledMs)).size > 1);
  // A reconnect on loopback takes milliseconds; the medians keep one slow handshake on a
  // loaded machine from deciding it.
  assert.ok(median(eager.map((r) => r.observedMs)) < 1000, `eager median ${median(eager.map((r) => r.observedMs))} ms`);
  assert.ok(median(fixed.map((r) => r.observedMs)) >= 999);
  assert.ok(Math.min(...wellBehaved.map((r) => r.observedMs)) >= 4999);

  // Every close of every client, the staying ones included, arrived exactly once.
  const stored = storedByCode();
  const added = new Map([...stored].map(([code, n]): [number, number] => [code, n - (earlier.get(code) ?? 0)]).filter(([, n]) => n > 0));
  assert.deepEqual(added, new Map([...fleet.closes.entries()].sort((a, b) => a[0] - b[0])));
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFleet } from '../../src/demo/fleet.js';
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

  const stored = new Map(
    (t.sqlite.prepare('SELECT code, count(*) AS n FROM close_event GROUP BY code').all() as Array<{ code: number; n: number }>).map((r) => [r.code, r.n]),
  );
  assert.deepEqual(errors, []);
  assert.deepEqual(stored, new Map([...fleet.closes.entries()].sort((a, b) => a[0] - b[0])));
  for (const code of MIX) assert.ok((stored.get(code) ?? 0) > 0, `expected some ${code} closes`);
  const services = t.sqlite.prepare('SELECT DISTINCT service FROM close_event ORDER BY 1').all();
  assert.deepEqual(services, [{ service: 'chat' }, { service: 'feed' }, { service: 'trading' }]);
  const trading1013 = t.sqlite.prepare("SELECT count(*) AS n FROM close_event WHERE code = 1013 AND service <> 'trading'").get() as { n: number };
  assert.equal(trading1013.n, 0, 'only the overloaded service sheds with 1013');
});

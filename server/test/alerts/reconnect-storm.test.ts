import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { backtest } from '../../src/alerts/backtest.js';
import { withRuleDefaults, type RuleInput } from '../../src/alerts/rule.js';
import { toFields } from '../../src/alerts/rule-codec.js';
import type { StoredCloseEvent, StoredOpen } from '../../src/storage/types.js';
import { adminSession } from '../helpers/admin-session.js';
import { storedEvent } from '../helpers/stored-event.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

// A rolling restart of three services, each with 30 closes a minute of normal traffic
// (0.5 connections/s): on chat 30 of 40 clients are back within the same second, on feed
// the clients spread their returns over 5-29 s; on live 30 of 40 are back within the same
// second and still connected (only the SDK's open notices say so). Chat and live storm.

const MIN = 60_000;
const T0 = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
const RESTART = T0 + 10_000;
const clock = { now: T0 };

const STORM: RuleInput = {
  name: 'Reconnect storm',
  selector: { codes: [1012] },
  condition: { type: 'reconnect-storm', above: 10, windowMinutes: 5, minPerSecond: 5 },
  forMs: 0,
  severity: 'critical',
};

/** A restart of `service`: client i told 1012 at RESTART, its next connection opened `delay(i)` later and closed at RESTART + 50 s. */
function restart(service: string, delay: (i: number) => number): StoredCloseEvent[] {
  return Array.from({ length: 40 }, (_, i) => [
    storedEvent({ ts: RESTART, durationMs: 5 * MIN, code: 1012, initiator: 'server', service, clientKey: `${service}-${i}` }),
    storedEvent({ ts: RESTART + 50_000, durationMs: 50_000 - delay(i), code: 1000, initiator: 'client', service, clientKey: `${service}-${i}` }),
  ]).flat();
}

/** The same restart, but the clients' next connections are still open: the collector knows them from their open notices only. */
function restartStillConnected(service: string, delay: (i: number) => number): { closes: StoredCloseEvent[]; opens: StoredOpen[] } {
  const closes = Array.from({ length: 40 }, (_, i) =>
    storedEvent({ ts: RESTART, durationMs: 5 * MIN, code: 1012, initiator: 'server', service, clientKey: `${service}-${i}` }),
  );
  const opens = Array.from({ length: 40 }, (_, i) => ({
    keyId: 'test', noticeId: `${service}-open-${i}`, clientKey: `${service}-${i}`, openedAt: RESTART + delay(i),
    service, instance: 'i-2', route: '/ws', receivedAt: RESTART + delay(i),
  }));
  return { closes, opens };
}

let t: TestApp;
before(async () => {
  t = await startTestApp({ ALERT_EVAL_INTERVAL_MS: '0', ALERT_INGEST_LAG_MS: '0' }, undefined, { clock: () => clock.now });
  for (let m = T0 - 60 * MIN; m < T0; m += MIN) {
    await t.app.db.writer.write(
      ['chat', 'feed', 'live'].flatMap((service) => Array.from({ length: 30 }, (_, i) => storedEvent({ ts: m + i * 2_000, service, code: 1000, initiator: 'client' }))),
    );
  }
  await t.app.db.writer.write([...restart('chat', (i) => (i < 30 ? 200 + i : 20_000 + i * 100)), ...restart('feed', (i) => 5_000 + (i % 25) * 1_000)]);
  const live = restartStillConnected('live', (i) => (i < 30 ? 200 + i : 20_000 + i * 100));
  await t.app.db.writer.write(live.closes);
  await t.app.db.opens.write(live.opens);
  // A retried batch of notices changes nothing.
  assert.deepEqual(await t.app.db.opens.write(live.opens), { accepted: 0, duplicates: 40 });
});
after(async () => t.destroy());

it('fires for the service whose clients came back in one second, with the peak against the normal rate', async () => {
  const rule = await t.app.db.alerts.createRule(toFields(withRuleDefaults(STORM)));
  clock.now = T0 + MIN + 30_000;
  await t.app.alerts.cycle(clock.now);
  const instances = (await t.app.db.alerts.listInstances()).filter((i) => i.ruleId === rule.id);
  assert.deepEqual(
    instances.map((i) => [i.groupKey, i.state]).sort(),
    [['{"service":"chat"}', 'firing'], ['{"service":"live"}', 'firing']],
  );
  const episodes = (await t.app.db.alerts.openEpisodes()).filter((e) => e.ruleId === rule.id);
  assert.deepEqual(episodes.map((e) => e.peakValue), [30, 30]);
});

it('a backtest replays the same storms: one episode each on chat and live, at the restart minute', async () => {
  const { episodes } = await backtest(t.app.db, withRuleDefaults(STORM), { from: T0 - 5 * MIN, to: T0 + 5 * MIN });
  assert.deepEqual(
    episodes.map((e) => [e.group, e.start, e.peak, e.baseline]).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    [
      [{ service: 'chat' }, T0 + MIN, 30, 0.5],
      [{ service: 'live' }, T0 + MIN, 30, 0.5],
    ],
  );
});

it('refuses a storm rule on codes that advise no reconnect, naming the field', async () => {
  const cookie = await adminSession(t);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/alert-rules', headers: { cookie }, payload: { ...STORM, selector: { codes: [1011] } } });
  assert.equal(res.statusCode, 400, res.body);
  assert.match(res.json<{ error: { message: string } }>().error.message, /^body\.selector\.codes: a reconnect storm follows the closes that advise a reconnect: give some of 1001, 1012, 1013$/);
  const ok = await t.app.inject({ method: 'POST', url: '/api/v1/alert-rules', headers: { cookie }, payload: STORM });
  assert.equal(ok.statusCode, 201, ok.body);
});

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { StoredCloseEvent } from '../../src/storage/types.js';
import { storedEvent } from '../helpers/stored-event.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

// The built-in "Error spike" rule (1011, anomaly, for 3 min, keep firing 5 min) on real
// rollups, a clock the test moves, a real HTTP receiver, and a collector restart in
// the middle of the episode.

const MIN = 60_000;
const T0 = Math.floor(Date.now() / MIN) * MIN;
const clock = { now: T0 };

/** `n` closes of `code` on `service`, spread over the minute starting at `start`. */
function minute(start: number, service: string, code: number, n: number, reason = ''): StoredCloseEvent[] {
  return Array.from({ length: n }, (_, i) => storedEvent({ ts: start + Math.floor((i * MIN) / n), service, code, reason, reasonTemplate: reason, route: `/${service}` }));
}

interface Received {
  status: number;
  body: { event: string; status: string; rule: { name: string }; group: { service?: string }; value: number; baseline: number; summary: string; topReasons: Array<{ codeName: string; template: string; count: number }>; dashboardUrl: string; id: string };
}

let t: TestApp;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let refuseNext = 1;

before(async () => {
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const status = refuseNext > 0 ? 500 : 200;
      refuseNext -= 1;
      received.push({ status, body: JSON.parse(text) as Received['body'] });
      res.writeHead(status).end(status === 200 ? 'ok' : 'try again');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  t = await startTestApp({ ALERT_EVAL_INTERVAL_MS: '0', ALERT_INGEST_LAG_MS: '0', PUBLIC_URL: 'https://closewatch.example.com' }, undefined, { clock: () => clock.now });
  await t.app.db.alerts.createTarget({ name: 'ops hook', kind: 'webhook', url: receiverUrl, enabled: true });
  const batches: StoredCloseEvent[][] = [];
  for (let m = T0 - 60 * MIN; m < T0 + 13 * MIN; m += MIN) {
    const spiking = m >= T0 && m < T0 + 5 * MIN;
    batches.push([...minute(m, 'chat', 1000, 100), ...minute(m, 'chat', 1011, 1, 'db down')]);
    batches.push([...minute(m, 'feed', 1000, 100), ...minute(m, 'feed', 1011, spiking ? 40 : 1, spiking ? 'handler failed' : 'db down')]);
  }
  for (const batch of batches) await t.app.db.writer.write(batch);
});
after(async () => {
  await t.destroy();
  await new Promise((resolve) => receiver.close(resolve));
});

async function cycleAt(offsetMs: number): Promise<void> {
  clock.now = T0 + offsetMs;
  await t.app.alerts.cycle(clock.now);
}

const instances = async (): Promise<Array<[string, string]>> => (await t.app.db.alerts.listInstances()).map((i) => [i.groupKey, i.state]);
const delivered = (): Received[] => received.filter((r) => r.status === 200);

describe('the Error spike rule on a 1011 spike of one service', () => {
  it('is pending while the spike is younger than 3 minutes, for that service only', async () => {
    await cycleAt(30_000);
    assert.deepEqual(await instances(), [['{"service":"feed"}', 'pending']]);
    await cycleAt(2 * MIN + 30_000);
    assert.deepEqual(await instances(), [['{"service":"feed"}', 'pending']]);
    assert.deepEqual(received, []);
  });

  it('fires after 3 minutes and notifies once, also when the receiver refused the first attempt', async () => {
    await cycleAt(3 * MIN + 30_000);
    assert.deepEqual(await instances(), [['{"service":"feed"}', 'firing']]);
    assert.deepEqual(received.map((r) => [r.status, r.body.event]), [[500, 'firing']]);
    await cycleAt(3 * MIN + 31_000); // retry not due yet (2 s backoff)
    assert.equal(received.length, 1);
    await cycleAt(3 * MIN + 32_000);
    assert.deepEqual(received.map((r) => [r.status, r.body.event]), [[500, 'firing'], [200, 'firing']]);
    const firing = delivered()[0]?.body;
    assert.equal(firing?.id, received[0]?.body.id, 'a retry carries the same id');
    assert.equal(firing?.rule.name, 'Error spike');
    assert.deepEqual(firing?.group, { service: 'feed' });
    assert.equal(firing?.value, 40);
    assert.equal(firing?.baseline, 1);
    assert.equal(
      firing?.summary,
      `[critical] Error spike on feed: 40 closes/min against a baseline of 1 closes/min (1011 Internal Error (Error)) since ${new Date(T0 + 3 * MIN + 30_000).toISOString()}`,
    );
    assert.deepEqual(firing?.topReasons.map((r) => [r.codeName, r.template, r.count]), [['1011 Internal Error (Error)', 'handler failed', 160], ['1011 Internal Error (Error)', 'db down', 1]]);
    assert.equal(
      firing?.dashboardUrl,
      `https://closewatch.example.com/?from=${encodeURIComponent(new Date(T0 + 30_000 - 10 * MIN).toISOString())}&to=${encodeURIComponent(new Date(T0 + 3 * MIN + 30_000).toISOString())}&service=feed&code=1011&live=0`,
    );
  });

  it('survives a restart mid-episode without losing it or notifying again', async () => {
    await t.restart();
    await cycleAt(4 * MIN + 30_000);
    assert.deepEqual(await instances(), [['{"service":"feed"}', 'firing']]);
    assert.equal(delivered().length, 1);
    const open = await t.app.db.alerts.openEpisodes();
    assert.equal(open.length, 1);
  });

  it('keeps firing for 5 minutes after the spike, then resolves and notifies once', async () => {
    await cycleAt(5 * MIN + 30_000); // the spike ended at T0 + 5 min
    assert.deepEqual(await instances(), [['{"service":"feed"}', 'firing']]);
    await cycleAt(9 * MIN + 29_000);
    assert.deepEqual(await instances(), [['{"service":"feed"}', 'firing']], '4 min 59 s since the condition last held');
    await cycleAt(9 * MIN + 30_000);
    assert.deepEqual(await instances(), []);
    assert.deepEqual(delivered().map((r) => [r.body.event, r.body.status]), [['firing', 'firing'], ['resolved', 'resolved']]);
    assert.equal(delivered()[1]?.body.summary, `[resolved] Error spike on feed: 1011 Internal Error (Error) back to normal since ${new Date(T0 + 3 * MIN + 30_000).toISOString()}`);
    await cycleAt(12 * MIN);
    assert.equal(received.length, 3, 'nothing more');
  });

  it('keeps the episode in history with what happened, and the delivery log', async () => {
    const res = await t.inject(`/api/v1/alerts?from=${T0 - 60 * MIN}&to=${T0 + 13 * MIN}`);
    assert.equal(res.statusCode, 200, res.body);
    const { active, history } = res.json<{ active: unknown[]; history: Array<Record<string, unknown>> }>();
    assert.deepEqual(active, []);
    assert.equal(history.length, 1);
    const [episode] = history;
    assert.deepEqual(
      { group: episode?.group, pendingSince: episode?.pendingSince, startedAt: episode?.startedAt, endedAt: episode?.endedAt, peak: episode?.peak, baseline: episode?.baseline, ruleName: episode?.ruleName },
      { group: { service: 'feed' }, pendingSince: T0 + 30_000, startedAt: T0 + 3 * MIN + 30_000, endedAt: T0 + 9 * MIN + 30_000, peak: 40, baseline: 1, ruleName: 'Error spike' },
    );
    const [target] = (await t.inject('/api/v1/notification-targets')).json<{ targets: Array<{ id: string; urlHint: string }> }>().targets;
    assert.equal(target?.urlHint, receiverUrl.replace('/hook', '/…'));
    const log = (await t.inject(`/api/v1/notification-targets/${target?.id}/attempts`)).json<{ attempts: Array<{ event: string; status: number }> }>();
    assert.deepEqual(log.attempts.map((a) => [a.event, a.status]), [['resolved', 200], ['firing', 200], ['firing', 500]]);
  });
});

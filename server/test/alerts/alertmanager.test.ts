import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { toFields } from '../../src/alerts/rule-codec.js';
import { withRuleDefaults } from '../../src/alerts/rule.js';
import type { StoredCloseEvent } from '../../src/storage/types.js';
import { startAlertmanager, type Alertmanager } from '../helpers/alertmanager.js';
import { storedEvent } from '../helpers/stored-event.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { waitFor } from '../helpers/wait-for.js';

// A real Prometheus Alertmanager (Debian's package) as a notification target: it lists
// the alert as active while the episode fires and forwards firing and resolved to its
// own receiver.

const MIN = 60_000;
// In the past, so the times closewatch sends are not in Alertmanager's future.
const T0 = Math.floor(Date.now() / MIN) * MIN - 6 * MIN;
const clock = { now: T0 };

interface AmNotification {
  status: string;
  alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string> }>;
}

let t: TestApp;
let am: Alertmanager;
let sink: WebhookReceiver<AmNotification>;
let forwarded: AmNotification[];

before(async () => {
  sink = await startWebhookReceiver<AmNotification>();
  forwarded = sink.received;
  am = await startAlertmanager(sink.url);
  t = await startTestApp({ ALERT_EVAL_INTERVAL_MS: '0', ALERT_INGEST_LAG_MS: '0' }, undefined, { clock: () => clock.now });
  // Only this rule: fires at once, resolves at once.
  for (const rule of await t.app.db.alerts.listRules()) await t.app.db.alerts.deleteRule(rule.id);
  await t.app.db.alerts.createRule(
    toFields(withRuleDefaults({ name: 'Again spike', selector: { codes: [1013] }, condition: { type: 'threshold', measure: 'count', windowMinutes: 1, above: 10 }, forMs: 0, keepFiringForMs: 0, severity: 'warning' })),
  );
  await t.app.db.alerts.createTarget({ name: 'alertmanager', kind: 'alertmanager', url: am.url, enabled: true });
  const events: StoredCloseEvent[] = [];
  for (let i = 0; i < 30; i += 1) events.push(storedEvent({ ts: T0 + i * 1000, service: 'trading', code: 1013, reason: 'overloaded' }));
  await t.app.db.writer.write(events);
});
after(async () => {
  await t.destroy();
  await am.stop();
  await sink.close();
});

const activeInAm = async (): Promise<Array<{ labels: Record<string, string>; status: { state: string } }>> =>
  (await fetch(`${am.url}/api/v2/alerts`)).json() as Promise<Array<{ labels: Record<string, string>; status: { state: string } }>>;

test('Alertmanager lists the firing alert, then resolves it, and notifies both', async () => {
  clock.now = T0 + 30_000;
  await t.app.alerts.cycle(clock.now);
  const active = await activeInAm();
  assert.deepEqual(
    active.map((a) => [a.labels, a.status.state]),
    [[{ alertname: 'Again spike', rule_id: active[0]?.labels.rule_id ?? '', service: 'trading', severity: 'warning', source: 'closewatch' }, 'active']],
  );
  await waitFor('Alertmanager to forward the firing alert', () => forwarded.length >= 1, 15_000);
  assert.deepEqual(forwarded[0]?.alerts.map((a) => [a.status, a.labels.alertname, a.labels.service]), [['firing', 'Again spike', 'trading']]);
  assert.match(forwarded[0]?.alerts[0]?.annotations.summary ?? '', /^\[warning\] Again spike on trading: 30 closes in 1 min against a baseline of 10 closes in 1 min/);

  clock.now = T0 + 2 * MIN + 30_000; // the minute holds no 1013: resolved
  await t.app.alerts.cycle(clock.now);
  assert.deepEqual(await activeInAm(), []);
  await waitFor('Alertmanager to forward the resolution', () => forwarded.some((n) => n.status === 'resolved'), 15_000);
  assert.deepEqual(forwarded.map((n) => n.alerts.map((a) => [a.status, a.labels.service])), [[['firing', 'trading']], [['resolved', 'trading']]]);
});

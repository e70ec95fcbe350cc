import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredCloseEvent } from '../../../src/storage/types.js';
import { adminSession } from '../../helpers/admin-session.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { storedEvent } from '../../helpers/stored-event.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const MIN = 60_000;
const T0 = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
/** The collector's clock: now, until a test replays the past. */
const clock = { now: Date.now() };

let t: TestApp;
let cookie: string;
let receiver: WebhookReceiver<{ event: string; summary: string }>;
let receiverUrl: string;
let received: Array<{ event: string; summary: string }> = [];

before(async () => {
  receiver = await startWebhookReceiver();
  receiverUrl = receiver.url;
  received = receiver.received;
  t = await startTestApp({ ALERT_EVAL_INTERVAL_MS: '0', ALERT_INGEST_LAG_MS: '0' }, undefined, { clock: () => clock.now });
  cookie = await adminSession(t);
  // An hour of 1011s at 1 a minute on "api", with 25 a minute from T0 to T0 + 4 min.
  const events: StoredCloseEvent[] = [];
  for (let m = T0 - 70 * MIN; m < T0 + 20 * MIN; m += MIN) {
    const n = m >= T0 && m < T0 + 5 * MIN ? 25 : 1;
    for (let i = 0; i < n; i += 1) events.push(storedEvent({ ts: m + i * 1000, service: 'api', code: 1011, reason: 'boom', reasonTemplate: 'boom' }));
    for (let i = 0; i < 50; i += 1) events.push(storedEvent({ ts: m + i * 1000, service: 'api', code: 1000 }));
  }
  await t.app.db.writer.write(events);
});
after(async () => {
  await t.destroy();
  await receiver.close();
});

const as = (headers: Record<string, string>) => (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

const RULE = {
  name: 'Many 1011',
  selector: { codes: [1011], service: 'api' },
  condition: { type: 'threshold', measure: 'count', windowMinutes: 1, above: 10 },
  forMs: 2 * MIN,
  keepFiringForMs: 0,
  severity: 'critical',
};

describe('alert rules', () => {
  it('starts with the two built-in rules, enabled, anomaly with a ratio floor, per service', async () => {
    const { rules } = (await t.inject('/api/v1/alert-rules')).json<{ rules: Array<Record<string, unknown>> }>();
    assert.deepEqual(
      rules.map((r) => [r.builtin, r.name, r.enabled, r.selector, r.condition, r.forMs, r.keepFiringForMs, r.severity, r.groupBy]),
      [
        ['error-spike', 'Error spike', true, { codes: [1011] }, { type: 'anomaly', zScore: 3.5, minCount: 5, minRatio: 0.02 }, 180_000, 300_000, 'critical', 'service'],
        ['again-spike', 'Again spike', true, { codes: [1013] }, { type: 'anomaly', zScore: 3.5, minCount: 5, minRatio: 0.02 }, 180_000, 300_000, 'warning', 'service'],
      ],
    );
  });

  it('changes need a session: a read token reads, and is refused a change', async () => {
    const token = await t.inject({ method: 'POST', url: '/api/v1/alert-rules', payload: RULE });
    assert.equal(token.statusCode, 403);
    assert.equal(token.json().error.code, 'SESSION_REQUIRED');
    const created = await as({ cookie })('POST', '/api/v1/alert-rules', RULE);
    assert.equal(created.statusCode, 201, created.body);
    const rule = created.json<{ id: string; enabled: boolean; groupBy: string; repeatIntervalMs: null; targetIds: null; builtin: null }>();
    assert.deepEqual([rule.enabled, rule.groupBy, rule.repeatIntervalMs, rule.targetIds, rule.builtin], [true, 'service', null, null, null]);
    const disabled = await as({ cookie })('PATCH', `/api/v1/alert-rules/${rule.id}`, { enabled: false });
    assert.equal(disabled.json().enabled, false);
    assert.equal(disabled.json().name, 'Many 1011', 'a patch keeps the other fields');
    assert.equal((await as({ cookie })('PATCH', `/api/v1/alert-rules/${rule.id}`, { enabled: true })).statusCode, 200);
  });

  it('explains a rule it cannot take, naming the field', async () => {
    const both = await as({ cookie })('POST', '/api/v1/alert-rules', { ...RULE, selector: { codes: [1011], category: 'server-error' } });
    assert.deepEqual(both.json(), { error: { code: 'INVALID_RULE', message: 'body.selector: give either codes (for example [1011]) or a category (for example "server-error")' } });
    const badZ = await as({ cookie })('POST', '/api/v1/alert-rules', { ...RULE, condition: { type: 'anomaly', zScore: 0, minCount: 1, minRatio: 0 } });
    assert.equal(badZ.statusCode, 400);
    assert.match(badZ.json().error.message, /^body\.condition/);
    assert.equal((await as({ cookie })('GET', '/api/v1/alert-rules/rule_nope')).statusCode, 404);
  });

  it('backtests a rule over the past with a read credential, storing and sending nothing', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/alert-rules/backtest', payload: { rule: RULE, from: T0 - 20 * MIN, to: T0 + 15 * MIN } });
    assert.equal(res.statusCode, 200, res.body);
    // 25 a minute from T0 to T0 + 4 min: holding from T0 + 1 min (the minute ending then),
    // firing 2 min later, resolving at the first minute without the spike.
    assert.deepEqual(res.json(), {
      episodes: [{ start: T0 + 3 * MIN, end: T0 + 6 * MIN, group: { service: 'api' }, peak: 25, baseline: 10 }],
      minutesEvaluated: 35,
    });
    assert.deepEqual(await t.app.db.alerts.openEpisodes(), []);
    const tooLong = await t.inject({ method: 'POST', url: '/api/v1/alert-rules/backtest', payload: { rule: RULE, from: T0 - 8 * 86_400_000, to: T0 } });
    assert.deepEqual(tooLong.json(), { error: { code: 'INVALID_RANGE', message: 'body.from: a backtest covers at most 7 days; ask for a shorter range' } });
  });

  it('the built-in rules are made once: deleted, they stay deleted after a restart', async () => {
    const { rules } = (await t.inject('/api/v1/alert-rules')).json<{ rules: Array<{ id: string; builtin: string | null }> }>();
    const again = rules.find((r) => r.builtin === 'again-spike');
    assert.equal((await as({ cookie })('DELETE', `/api/v1/alert-rules/${again?.id}`)).statusCode, 204);
    await t.restart();
    cookie = await adminSession(t);
    const after = (await t.inject('/api/v1/alert-rules')).json<{ rules: Array<{ builtin: string | null }> }>().rules;
    assert.deepEqual(after.map((r) => r.builtin), ['error-spike', null]);
  });
});

describe('silences and targets', () => {
  it('refuses a target that is not an http(s) URL; a test notification reaches a real receiver', async () => {
    const bad = await as({ cookie })('POST', '/api/v1/notification-targets', { name: 'x', kind: 'webhook', url: 'ftp://files' });
    assert.deepEqual(bad.json(), { error: { code: 'INVALID_TARGET', message: 'body.url: only http and https URLs can receive notifications' } });
    const target = (await as({ cookie })('POST', '/api/v1/notification-targets', { name: 'hook', kind: 'webhook', url: receiverUrl })).json<{ id: string }>();
    const test = await as({ cookie })('POST', `/api/v1/notification-targets/${target.id}/test`);
    assert.equal(test.statusCode, 200);
    assert.deepEqual({ ...test.json<Record<string, unknown>>(), durationMs: 0 }, { ok: true, status: 204, error: null, durationMs: 0 });
    assert.deepEqual(received.map((r) => [r.event, r.summary]), [['test', 'Test notification from closewatch: this target works']]);
  });

  it('a silence holds back the firing notification; once it ends, the alert still firing is sent', async () => {
    const { rules } = (await t.inject('/api/v1/alert-rules')).json<{ rules: Array<{ id: string; name: string }> }>();
    const rule = rules.find((r) => r.name === 'Many 1011');
    // Replay the spike's minutes: the collector's clock goes back to them.
    clock.now = T0 + 1 * MIN + 30_000;
    const silence = await as({ cookie })('POST', '/api/v1/silences', {
      matcher: { service: 'api' },
      endsAt: Date.now() + 3_600_000,
      comment: 'deploy in progress',
      createdBy: 'ana',
    });
    assert.equal(silence.statusCode, 201, silence.body);
    const { id } = silence.json<{ id: string }>();
    received.length = 0;
    await t.app.alerts.cycle(clock.now);
    clock.now = T0 + 3 * MIN + 30_000;
    await t.app.alerts.cycle(clock.now);
    const active = (await t.inject('/api/v1/alerts')).json<{ active: Array<{ ruleId: string; ruleName: string; state: string; silenced: boolean }> }>().active;
    // The built-in Error spike sees the same spike (25 against a median of 1); its 3 minutes run until T0 + 4.5 min.
    assert.deepEqual(active.map((a) => [a.ruleName, a.state, a.silenced]).sort(), [['Error spike', 'pending', true], ['Many 1011', 'firing', true]]);
    assert.equal(active.find((a) => a.ruleName === 'Many 1011')?.ruleId, rule?.id);
    assert.equal(received.length, 0, 'silenced');
    assert.equal((await as({ cookie })('DELETE', `/api/v1/silences/${id}`)).statusCode, 204);
    clock.now = T0 + 4 * MIN + 30_000;
    await t.app.alerts.cycle(clock.now);
    assert.deepEqual(received.map((r) => [r.event, r.summary.split(' on ')[0]]).sort(), [['firing', '[critical] Error spike'], ['firing', '[critical] Many 1011']]);
    const listed = (await t.inject('/api/v1/silences')).json<{ silences: Array<{ comment: string; createdBy: string; active: boolean; matcher: unknown }> }>().silences;
    assert.deepEqual(listed.map((s) => [s.comment, s.createdBy, s.active, s.matcher]), [['deploy in progress', 'ana', false, { service: 'api' }]]);
  });
});

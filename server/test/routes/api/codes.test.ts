import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { StoredCloseEvent } from '../../../src/storage/types.js';
import { adminSession } from '../../helpers/admin-session.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { storedEvent } from '../../helpers/stored-event.js';
import { startTestApp, TEST_KEY, type TestApp } from '../../helpers/test-app.js';

const MIN = 60_000;
const T0 = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
const clock = { now: Date.now() };

let t: TestApp;
let cookie: string;
let receiver: WebhookReceiver<Received>;
let receiverUrl: string;
type Received = { event: string; summary: string; watching: string; topReasons: Array<{ code: number; codeName: string }> };

before(async () => {
  receiver = await startWebhookReceiver();
  receiverUrl = receiver.url;
  t = await startTestApp({ ALERT_EVAL_INTERVAL_MS: '0', ALERT_INGEST_LAG_MS: '0' }, undefined, { clock: () => clock.now });
  cookie = await adminSession(t);
  // 4001 once a minute for an hour, 20 a minute from T0 to T0 + 2 min; a few 4002 and 1000.
  const events: StoredCloseEvent[] = [];
  for (let m = T0 - 60 * MIN; m < T0 + 5 * MIN; m += MIN) {
    const n = m >= T0 && m < T0 + 2 * MIN ? 20 : 1;
    for (let i = 0; i < n; i += 1) events.push(storedEvent({ ts: m + i * 1000, service: 'chat', code: 4001, reason: 'room 7 closed', reasonTemplate: 'room :n closed' }));
    events.push(storedEvent({ ts: m + 30_000, service: 'chat', code: 4002 }));
    events.push(storedEvent({ ts: m + 40_000, service: 'chat', code: 1000 }));
  }
  await t.app.db.writer.write(events);
});
after(async () => {
  await t.destroy();
  await receiver.close();
});

const put = (code: string | number, payload: unknown, headers: Record<string, string> = { cookie }) =>
  t.app.inject({ method: 'PUT', url: `/api/v1/codes/${code}`, headers, payload: payload as Record<string, unknown> });
const register = (payload: unknown, key = TEST_KEY) =>
  t.app.inject({ method: 'PUT', url: '/api/v1/codes', headers: { authorization: `Bearer ${key}` }, payload: payload as Record<string, unknown> });
const error = (res: { json<T>(): T }) => res.json<{ error: { code: string; message: string } }>().error;

describe('code names: validation', () => {
  it('refuses RFC codes, codes outside 3000-4999, bad fields, and names each field', async () => {
    const cases: Array<[string | number, unknown, number, string, string]> = [
      [1011, { name: 'Oops' }, 400, 'BUILTIN_CODE', 'params.code: 1011 belongs to the WebSocket protocol (RFC 6455, Internal Error) and cannot be renamed; name codes 3000-4999'],
      [2999, { name: 'Oops' }, 400, 'BUILTIN_CODE', 'params.code: 2999 belongs to the WebSocket protocol (RFC 6455, Reserved for the protocol) and cannot be renamed; name codes 3000-4999'],
      [5000, { name: 'Oops' }, 400, 'CODE_NOT_NAMEABLE', 'params.code: 5000 is outside the codes teams name (3000-3999 registered, 4000-4999 private)'],
      ['abc', { name: 'Oops' }, 400, 'INVALID_CODE', 'params.code: "abc" is not a close code; give an integer 0-65535, such as 4001'],
      [4001, {}, 400, 'INVALID_REQUEST', 'body.name is required'],
      [4001, { name: '' }, 400, 'INVALID_REQUEST', 'body.name must NOT have fewer than 1 characters'],
      [4001, { name: 'x'.repeat(65) }, 400, 'INVALID_REQUEST', 'body.name must NOT have more than 64 characters'],
      [4001, { name: '   ' }, 400, 'INVALID_CODE_NAME', 'body.name is blank; give 1-64 characters such as "Room closed"'],
      [4001, { name: 'Room closed', meaning: 'm'.repeat(201) }, 400, 'INVALID_REQUEST', 'body.meaning must NOT have more than 200 characters'],
      [4001, { name: 'Room closed', meaning: 'two\nlines' }, 400, 'INVALID_CODE_NAME', 'body.meaning must be one line (no line breaks)'],
      [
        4001,
        { name: 'Room closed', category: 'fatal' },
        400,
        'INVALID_CODE_NAME',
        'body.category "fatal" is not a category; use one of normal, going-away, abnormal, client-error, server-error, overload, tls, application, reserved, invalid',
      ],
      [4001, { name: 'Room closed', retry: 'no' }, 400, 'INVALID_REQUEST', 'body.retry must be boolean'],
    ];
    for (const [code, body, status, errorCode, message] of cases) {
      const res = await put(code, body);
      assert.equal(res.statusCode, status, `${code} ${JSON.stringify(body)}: ${res.body}`);
      assert.deepEqual(error(res), { code: errorCode, message });
    }
    assert.deepEqual((await t.inject('/api/v1/codes')).json<{ codes: Array<{ custom: boolean }> }>().codes.filter((c) => c.custom), [], 'nothing was written');
  });

  it('needs a signed-in session to change a name; a read token only reads', async () => {
    const anonymous = await put(4001, { name: 'Room closed' }, {});
    assert.equal(anonymous.statusCode, 401);
    assert.deepEqual(error(anonymous), { code: 'NOT_SIGNED_IN', message: 'sign in to the dashboard to make changes' });
    const token = await t.inject({ method: 'PUT', url: '/api/v1/codes/4001', payload: { name: 'Room closed' } });
    assert.equal(token.statusCode, 403);
    assert.equal(error(token).code, 'SESSION_REQUIRED');
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/codes/4001' })).statusCode, 401);
  });
});

describe('code names: round trip', () => {
  it('lists the registry\'s named codes, 3000 Unauthorized, 3003 Forbidden and 3008 Timeout included', async () => {
    const res = await t.inject('/api/v1/codes');
    assert.equal(res.statusCode, 200);
    const codes = res.json<{ codes: Array<{ code: number; name: string; custom: boolean; source: string }> }>().codes;
    assert.deepEqual(
      codes.map((c) => c.code),
      [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 3000, 3003, 3008],
    );
    assert.deepEqual(codes.filter((c) => c.code >= 3000).map((c) => [c.code, c.name, c.custom, c.source]), [
      [3000, 'Unauthorized', false, 'registry'],
      [3003, 'Forbidden', false, 'registry'],
      [3008, 'Timeout', false, 'registry'],
    ]);
    const one = await t.inject('/api/v1/codes/3008');
    assert.equal(one.json<{ name: string }>().name, 'Timeout');
    const none = await t.inject('/api/v1/codes/4050');
    assert.equal(none.statusCode, 404);
    assert.deepEqual(error(none), { code: 'NOT_FOUND', message: 'code 4050 has no name of its own (it shows as "Private (application)"); name it with PUT /api/v1/codes/4050' });
  });

  it('creates (201), reads back, replaces (200) and deletes (204) a name', async () => {
    const created = await put(4002, { name: 'Kicked', meaning: 'A moderator removed the user.', category: 'client-error', retry: false, alertWorthy: true });
    assert.equal(created.statusCode, 201, created.body);
    const body = created.json<Record<string, unknown>>();
    assert.equal(typeof body.updatedAt, 'string');
    delete body.updatedAt;
    assert.deepEqual(body, {
      code: 4002,
      name: 'Kicked',
      shortName: 'Other',
      meaning: 'A moderator removed the user.',
      hint: 'Your application chose this code: read the reason and the route to see which code path sent it.',
      category: 'client-error',
      custom: true,
      retry: false,
      alertWorthy: true,
      source: 'ui',
    });
    const read = (await t.inject('/api/v1/codes/4002')).json<{ name: string; source: string }>();
    assert.deepEqual([read.name, read.source], ['Kicked', 'ui']);
    const replaced = await put(4002, { name: '  Banned  ' });
    assert.equal(replaced.statusCode, 200);
    assert.deepEqual(
      (({ name, meaning, category, retry, alertWorthy }) => ({ name, meaning, category, retry, alertWorthy }))(replaced.json<Record<string, unknown>>()),
      { name: 'Banned', meaning: 'Codes 4000-4999 are private: their meaning is agreed between your own client and server.', category: 'application', retry: false, alertWorthy: false },
    );
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/codes/4002', headers: { cookie } })).statusCode, 204);
    assert.equal((await t.inject('/api/v1/codes/4002')).statusCode, 404);
    const again = await t.app.inject({ method: 'DELETE', url: '/api/v1/codes/4002', headers: { cookie } });
    assert.equal(again.statusCode, 404);
    const [row] = await t.query<{ n: number }>('SELECT COUNT(*) AS n FROM close_code_name');
    assert.equal(row?.n, 0);
  });
});

describe('code names: SDK registration', () => {
  it('takes a server ingest key, never overwrites a name set in the dashboard, and refuses read tokens and bad entries', async () => {
    assert.equal((await put(4003, { name: 'Named by a person' })).statusCode, 201);
    const first = await register({ codes: [{ code: 4001, name: 'Room closed', retry: false }, { code: 4003, name: 'From the SDK' }] });
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json(), { results: [{ code: 4001, outcome: 'created' }, { code: 4003, outcome: 'kept-ui' }] });
    const second = await register({ codes: [{ code: 4001, name: 'Room closed', retry: false }] });
    assert.deepEqual(second.json(), { results: [{ code: 4001, outcome: 'unchanged' }] });
    const third = await register({ codes: [{ code: 4001, name: 'Room closed', meaning: 'The owner closed the room.', retry: false }] });
    assert.deepEqual(third.json(), { results: [{ code: 4001, outcome: 'updated' }] });
    const stored = await t.query<{ code: number; name: string; source: string }>('SELECT code, name, source FROM close_code_name ORDER BY code');
    assert.deepEqual(stored.map((r) => [r.code, r.name, r.source]), [[4001, 'Room closed', 'sdk'], [4003, 'Named by a person', 'ui']]);

    const read = await register({ codes: [{ code: 4004, name: 'x' }] }, t.readToken);
    assert.equal(read.statusCode, 403);
    assert.equal(error(read).code, 'READ_TOKEN_CANNOT_INGEST');
    const browser = await t.app.db.keys.create({ name: 'site', kind: 'browser', allowedOrigins: ['https://app.example.com'] });
    const fromPage = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/codes',
      headers: { authorization: `Bearer ${browser.secret}`, origin: 'https://app.example.com' },
      payload: { codes: [{ code: 4004, name: 'x' }] },
    });
    assert.equal(fromPage.statusCode, 403);
    assert.deepEqual(error(fromPage), { code: 'SERVER_KEY_REQUIRED', message: 'code names are registered with a server ingest key; browser keys are public and cannot name codes' });
    const noKey = await t.app.inject({ method: 'PUT', url: '/api/v1/codes', payload: { codes: [] } });
    assert.equal(noKey.statusCode, 401);
    const rfc = await register({ codes: [{ code: 4004, name: 'fine' }, { code: 1008, name: 'Not mine' }] });
    assert.equal(rfc.statusCode, 400);
    assert.deepEqual(error(rfc), {
      code: 'BUILTIN_CODE',
      message: 'body.codes.1.code: 1008 belongs to the WebSocket protocol (RFC 6455, Policy Violation) and cannot be renamed; name codes 3000-4999',
    });
    const twice = await register({ codes: [{ code: 4004, name: 'a' }, { code: 4004, name: 'b' }] });
    assert.deepEqual(error(twice), { code: 'DUPLICATE_CODE', message: 'body.codes.1.code: 4004 appears twice; send each code once' });
    assert.equal((await t.inject('/api/v1/codes/4004')).statusCode, 404, 'a refused batch writes nothing');
  });
});

describe('custom names wherever a code is shown', () => {
  const range = `from=${T0 - 60 * MIN}&to=${T0 + 5 * MIN}`;

  it('in the summary, reasons, timeseries legends and events', async () => {
    const summary = (await t.inject(`/api/v1/stats/summary?${range}`)).json<{ byCode: Array<{ code: number; name: string; shortName: string; category: string; count: number }> }>();
    assert.deepEqual(summary.byCode.map((c) => [c.code, c.name, c.shortName, c.category, c.count]), [
      [4001, 'Room closed', 'Other', 'application', 103],
      [1000, 'Normal Closure', 'Normal', 'normal', 65],
      [4002, 'Private (application)', 'Other', 'application', 65],
    ]);
    const reasons = (await t.inject(`/api/v1/stats/reasons?${range}`)).json<{ codes: Array<{ code: number; name: string }> }>();
    assert.equal(reasons.codes.find((c) => c.code === 4001)?.name, 'Room closed');
    const series = (await t.inject(`/api/v1/stats/timeseries?${range}&groupBy=code`)).json<{ series: Array<{ key: string; label: string }> }>().series;
    assert.deepEqual(series.map((s) => [s.key, s.label]), [['4001', '4001 Room closed'], ['1000', '1000 Normal Closure (Normal)'], ['4002', '4002 Private (application)']]);
    const events = (await t.inject(`/api/v1/events?${range}&code=4001&limit=1`)).json<{ events: Array<{ code: number; name: string }> }>().events;
    assert.deepEqual(events.map((e) => [e.code, e.name]), [[4001, 'Room closed']]);
  });

  it('in the events CSV and the summary CSV', async () => {
    const csv = await t.inject(`/api/v1/export.csv?${range}&code=4001,4002`);
    assert.equal(csv.statusCode, 200, csv.body);
    const records = parse(csv.body, { columns: true, record_delimiter: '\r\n' }) as Array<Record<string, string>>;
    const byCode = new Map(records.map((r) => [r.code, [r.code_name, r.short_name, r.category]]));
    assert.deepEqual([...byCode.entries()].sort(), [
      ['4001', ['Room closed', 'Other', 'application']],
      ['4002', ['Private (application)', 'Other', 'application']],
    ]);
    assert.equal(records.filter((r) => r.code_name === 'Room closed').length, 103);
    const summary = await t.inject(`/api/v1/export.csv?kind=summary&${range}`);
    assert.match(summary.body, /\r\n4001,Room closed,Other,application,103,/);
  });

  it('in a notification\'s text', async () => {
    const target = await t.app.inject({ method: 'POST', url: '/api/v1/notification-targets', headers: { cookie }, payload: { name: 'hook', kind: 'webhook', url: receiverUrl } });
    assert.equal(target.statusCode, 201, target.body);
    const rule = await t.app.inject({
      method: 'POST',
      url: '/api/v1/alert-rules',
      headers: { cookie },
      payload: { name: 'Rooms closing', selector: { codes: [4001], service: 'chat' }, condition: { type: 'threshold', measure: 'count', windowMinutes: 1, above: 10 }, forMs: 0, keepFiringForMs: 0, severity: 'warning' },
    });
    assert.equal(rule.statusCode, 201, rule.body);
    clock.now = T0 + 30_000;
    await t.app.alerts.cycle(clock.now);
    const firing = receiver.received.filter((r) => r.event === 'firing');
    assert.equal(firing.length, 1, JSON.stringify(receiver.received));
    assert.equal(firing[0]?.watching, '4001 Room closed (service chat)');
    assert.equal(
      firing[0]?.summary,
      `[warning] Rooms closing on chat: 20 closes in 1 min against a baseline of 10 closes in 1 min (4001 Room closed (service chat)) since ${new Date(T0 + 30_000).toISOString()}`,
    );
    assert.deepEqual(firing[0]?.topReasons.map((r) => [r.code, r.codeName]), [[4001, '4001 Room closed']]);
  });
});

describe('a named code belongs to the category its team gave it', () => {
  const range = `from=${T0 - 60 * MIN}&to=${T0 + 5 * MIN}`;
  type Series = { points: Array<{ values: Record<string, number> }> };
  const seriesTotals = async (query: string): Promise<Record<string, number>> => {
    const totals: Record<string, number> = {};
    for (const point of (await t.inject(`/api/v1/stats/timeseries?${range}&${query}`)).json<Series>().points) {
      for (const [key, count] of Object.entries(point.values)) if (count > 0) totals[key] = (totals[key] ?? 0) + count;
    }
    return totals;
  };
  const backtestEpisodes = async (category: string): Promise<number> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/alert-rules/backtest',
      headers: { cookie },
      payload: {
        rule: { name: 'Overload', selector: { category, service: 'chat' }, condition: { type: 'threshold', measure: 'count', windowMinutes: 1, above: 0 }, forMs: 0, keepFiringForMs: 0, severity: 'warning' },
        from: T0 - 10 * MIN,
        to: T0 + 5 * MIN,
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ episodes: unknown[] }>().episodes.length;
  };

  it('in the category filter, the per-category series, exports and alert rules; and back when the name goes', async () => {
    // Before: 4002 is an application code; nothing in this data set is "overload".
    assert.equal((await t.inject(`/api/v1/stats/summary?${range}&category=overload`)).json<{ total: number }>().total, 0);
    assert.equal(await backtestEpisodes('overload'), 0);
    const named = await put(4002, { name: 'Room full', category: 'overload' });
    assert.equal(named.statusCode, 201, named.body);

    const overload = (await t.inject(`/api/v1/stats/summary?${range}&category=overload`)).json<{ total: number; byCode: Array<{ code: number; count: number }> }>();
    assert.deepEqual([overload.total, overload.byCode.map((c) => [c.code, c.count])], [65, [[4002, 65]]]);
    const application = (await t.inject(`/api/v1/stats/summary?${range}&category=application`)).json<{ total: number; byCode: Array<{ code: number; count: number }> }>();
    assert.deepEqual([application.total, application.byCode.map((c) => [c.code, c.count])], [103, [[4001, 103]]]);
    assert.deepEqual(await seriesTotals('groupBy=category'), { normal: 65, overload: 65, application: 103 });
    const csv = await t.inject(`/api/v1/export.csv?${range}&category=overload`);
    const rows = parse(csv.body, { columns: true, record_delimiter: '\r\n' }) as Array<Record<string, string>>;
    assert.deepEqual([rows.length, [...new Set(rows.map((r) => `${r.code} ${r.code_name} ${r.category}`))]], [65, ['4002 Room full overload']]);
    // 4002 closes once a minute from T0 - 10 min to T0 + 5 min: one episode, still firing.
    assert.equal(await backtestEpisodes('overload'), 1);

    const removed = await t.app.inject({ method: 'DELETE', url: '/api/v1/codes/4002', headers: { cookie } });
    assert.equal(removed.statusCode, 204, removed.body);
    assert.equal((await t.inject(`/api/v1/stats/summary?${range}&category=overload`)).json<{ total: number }>().total, 0);
    assert.deepEqual(await seriesTotals('groupBy=category'), { normal: 65, application: 168 });
  });
});

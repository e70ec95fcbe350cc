import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { bootstrapAdminPassword } from '../../src/auth/admin-password.js';
import { verifyPassword } from '../../src/auth/password.js';
import { loadConfig } from '../../src/plugins/config.js';
import { makeEvent } from '../helpers/events.js';
import { startTestApp, TEST_KEY, type TestApp } from '../helpers/test-app.js';

const apps: TestApp[] = [];
after(async () => {
  for (const t of apps.reverse()) await t.destroy().catch(() => undefined);
});

async function start(overrides: Record<string, string> = {}, clock?: { now: number }): Promise<TestApp> {
  const t = await startTestApp({ CLOSEWATCH_ADMIN_PASSWORD: 'a-long-admin-password', ...overrides }, undefined, clock ? { clock: () => clock.now } : {});
  await bootstrapAdminPassword(t.app.db.accounts, 'a-long-admin-password');
  apps.push(t);
  return t;
}

async function signIn(t: TestApp, password = 'a-long-admin-password'): Promise<{ cookie: string; expiresAt: number }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { password } });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = res.cookies.find((c) => c.name === 'closewatch_session');
  return { cookie: `closewatch_session=${cookie?.value ?? ''}`, expiresAt: res.json<{ expiresAt: number }>().expiresAt };
}

const summary = (t: TestApp, cookie: string) => t.app.inject({ url: '/api/v1/stats/summary', headers: { cookie } });

test('a session survives a collector restart and ends when it expires', async () => {
  const clock = { now: Date.now() };
  const t = await start({ SESSION_TTL_HOURS: '2' }, clock);
  const { cookie, expiresAt } = await signIn(t);
  assert.equal((await summary(t, cookie)).statusCode, 200);
  await t.restart();
  assert.equal((await summary(t, cookie)).statusCode, 200, 'sessions live in the database');
  clock.now = expiresAt - 1;
  assert.equal((await summary(t, cookie)).statusCode, 200, 'reads do not extend it (no rolling expiry)');
  clock.now = expiresAt;
  const expired = await summary(t, cookie);
  assert.equal(expired.statusCode, 401);
  assert.equal(expired.json().error.code, 'NOT_SIGNED_IN');
  assert.deepEqual(t.sqlite.prepare('SELECT count(*) AS n FROM session').get(), { n: 0 }, 'an expired session is removed when seen');
});

test('sign-in is rate limited per client address, with Retry-After', async () => {
  const t = await start({ LOGIN_RATE_LIMIT: '3' });
  const attempt = (ip: string) => t.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: ip, payload: { password: 'guess' } });
  for (let i = 0; i < 3; i += 1) assert.equal((await attempt('10.0.0.1')).statusCode, 401);
  const limited = await attempt('10.0.0.1');
  assert.equal(limited.statusCode, 429);
  // The window started at the first attempt, so what is left of it depends on how long the attempts took.
  const retryAfter = Number(limited.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.deepEqual(limited.json(), { error: { code: 'RATE_LIMITED', message: `too many requests: at most 3 per minute; retry in ${retryAfter} s` } });
  assert.equal((await attempt('10.0.0.2')).statusCode, 401, 'another address is not limited');
});

test('ingest is rate limited per key', async () => {
  const t = await start({ INGEST_RATE_LIMIT: '2' });
  const { secret } = await t.app.db.keys.create({ name: 'other' });
  const send = (key: string) => t.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${key}` }, payload: { events: [makeEvent()] } });
  assert.equal((await send(TEST_KEY)).statusCode, 200);
  assert.equal((await send(TEST_KEY)).statusCode, 200);
  const limited = await send(TEST_KEY);
  assert.equal(limited.statusCode, 429);
  const retryAfter = Number(limited.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal(limited.json().error.message, `too many requests: at most 2 per minute; retry in ${retryAfter} s`);
  assert.equal((await send(secret)).statusCode, 200, 'another key has its own budget');
  assert.deepEqual(t.sqlite.prepare('SELECT count(*) AS n FROM close_event').get(), { n: 3 });
});

test('the live feed refuses clients over LIVE_MAX_CLIENTS with 503', async () => {
  const t = await start({ LIVE_MAX_CLIENTS: '1' });
  const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
  const { default: WebSocket } = await import('ws');
  const headers = { authorization: `Bearer ${t.readToken}` };
  const first = new WebSocket(`${base}/api/v1/live`, { headers });
  await new Promise((resolve) => first.once('message', resolve));
  const refused = await new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve) => {
    const second = new WebSocket(`${base}/api/v1/live`, { headers });
    second.on('error', () => {});
    second.on('unexpected-response', (request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'], body });
      });
    });
  });
  assert.deepEqual(refused, {
    status: 503,
    retryAfter: '30',
    body: JSON.stringify({ error: { code: 'LIVE_FULL', message: 'the live feed serves at most 1 clients (LIVE_MAX_CLIENTS); retry later' } }),
  });
  first.close();
});

test('METRICS_PUBLIC opens /metrics and nothing else', async () => {
  const t = await start({ METRICS_PUBLIC: 'true' });
  assert.equal((await t.app.inject('/metrics')).statusCode, 200);
  assert.equal((await t.app.inject('/api/v1/stats/summary')).statusCode, 401);
});

test('CLOSEWATCH_AUTH=none: no sign-in on a loopback address, refused anywhere else', async () => {
  assert.throws(
    () => loadConfig({ CLOSEWATCH_AUTH: 'none', HOST: '0.0.0.0' }),
    /invalid configuration: CLOSEWATCH_AUTH=none turns sign-in off, which is only allowed when HOST is a loopback address \(HOST is 0\.0\.0\.0\)/,
  );
  const t = await start({ CLOSEWATCH_AUTH: 'none', HOST: '127.0.0.1' });
  assert.equal((await t.app.inject('/api/v1/stats/summary')).statusCode, 200);
  assert.deepEqual((await t.app.inject('/api/v1/session')).json(), { signedIn: true, auth: 'none', expiresAt: null });
});

test('the admin password: generated once, or CLOSEWATCH_ADMIN_PASSWORD, never stored in clear', async () => {
  const t = await startTestApp();
  apps.push(t);
  const first = await bootstrapAdminPassword(t.app.db.accounts, undefined);
  assert.equal(first.kind, 'generated');
  const generated = first.kind === 'generated' ? first.password : '';
  assert.match(generated, /^[A-Za-z0-9_-]{24}$/);
  assert.deepEqual(await bootstrapAdminPassword(t.app.db.accounts, undefined), { kind: 'existing' }, 'printed only at the first start');
  const stored = (t.sqlite.prepare('SELECT password_hash AS h FROM admin_account').get() as { h: string }).h;
  assert.match(stored, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.ok(!stored.includes(generated));
  assert.equal(await verifyPassword(generated, stored), true);

  assert.deepEqual(await bootstrapAdminPassword(t.app.db.accounts, 'chosen-by-the-operator'), { kind: 'configured', changed: true });
  assert.deepEqual(await bootstrapAdminPassword(t.app.db.accounts, 'chosen-by-the-operator'), { kind: 'configured', changed: false });
  assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { password: generated } })).statusCode, 401);
  assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { password: 'chosen-by-the-operator' } })).statusCode, 200);
});

test('an open live socket closes with 4401 once its session ends', async () => {
  const t = await start();
  const { cookie } = await signIn(t);
  const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
  const { default: WebSocket } = await import('ws');
  const socket = new WebSocket(`${base}/api/v1/live`, { headers: { cookie, origin: base.replace(/^ws/, 'http') } });
  await new Promise((resolve) => socket.once('message', resolve));
  const closed = new Promise<[number, string]>((resolve) => socket.once('close', (code, reason) => resolve([code, reason.toString()])));
  assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } })).statusCode, 204);
  // Checked again every 10 s (LIVE_RECHECK_MS).
  assert.deepEqual(await closed, [4401, 'the session or token ended; sign in again']);
});

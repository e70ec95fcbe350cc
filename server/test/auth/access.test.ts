import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import WebSocket from 'ws';
import serviceApp from '../../src/app.js';
import { defaultAccess } from '../../src/auth/access.js';
import { loadConfig } from '../../src/plugins/config.js';
import { bootstrapAdminPassword } from '../../src/auth/admin-password.js';
import { makeEvent } from '../helpers/events.js';
import { recordRoutes, routeMethods as methods, upgradesToWebSocket } from '../helpers/route-table.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const PASSWORD = 'correct horse battery staple';
const READ_TOKEN = 'cw_read_token_for_access_tests';
const INGEST_KEY = 'cw_ingest_key_for_access_tests';

let db: TestDatabase;
let app: FastifyInstance;
let base: string;
let routes: RouteOptions[];
let revokedToken: string;
let sessionCookie: string;

/** The real collector, built as build-app does, with every route it registers recorded. */
before(async () => {
  db = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    DASHBOARD_DIR: '',
    CLOSEWATCH_ADMIN_PASSWORD: PASSWORD,
    LIVE_TICK_MS: '100',
  });
  app = Fastify();
  routes = recordRoutes(app);
  await app.register(serviceApp, { config });
  await app.ready();
  await bootstrapAdminPassword(app.db.accounts, PASSWORD);
  await app.db.keys.ensure(READ_TOKEN, 'reads', 'read');
  await app.db.keys.ensure(INGEST_KEY, 'ingest');
  const revoked = await app.db.keys.create({ name: 'gone', kind: 'read' });
  await app.db.keys.revoke(revoked.key.id);
  revokedToken = revoked.secret;
  const signIn = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { password: PASSWORD } });
  assert.equal(signIn.statusCode, 200, signIn.body);
  const cookie = signIn.cookies.find((c) => c.name === 'closewatch_session');
  assert.ok(cookie);
  sessionCookie = `${cookie.name}=${cookie.value}`;
  base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
});
after(async () => {
  await app.close();
  await db.cleanup();
});

const accessOf = (route: RouteOptions): string => route.config?.access ?? defaultAccess(route.url);
/** Read routes answered over plain HTTP (the live WebSocket is checked with real sockets below). */
const httpReads = (): Array<{ method: string; url: string }> =>
  routes
    .filter((r) => accessOf(r) === 'read' && !upgradesToWebSocket(r))
    .flatMap((r) => methods(r).map((method) => ({ method, url: r.url })));

describe('access to read routes, from the route table', () => {
  it('knows every read route of the API, and no API route is public by accident', () => {
    assert.deepEqual(httpReads().map((r) => `${r.method} ${r.url}`).sort(), [
      'GET /api/v1/alert-rules',
      'GET /api/v1/alert-rules/:id',
      'GET /api/v1/alerts',
      'GET /api/v1/codes',
      'GET /api/v1/codes/:code',
      'GET /api/v1/events',
      'GET /api/v1/export.csv',
      'GET /api/v1/notification-targets',
      'GET /api/v1/notification-targets/:id/attempts',
      'GET /api/v1/silences',
      'GET /api/v1/stats/breakdown',
      'GET /api/v1/stats/lifetimes',
      'GET /api/v1/stats/reasons',
      'GET /api/v1/stats/reconnects',
      'GET /api/v1/stats/summary',
      'GET /api/v1/stats/timeseries',
      'GET /api/v1/status',
      'GET /metrics',
      'POST /api/v1/alert-rules/backtest',
      'POST /api/v1/live/ticket',
    ]);
    const open = routes.filter((r) => r.url.startsWith('/api/') && accessOf(r) === 'public').flatMap((r) => methods(r).map((m) => `${m} ${r.url}`));
    assert.deepEqual(open.sort(), ['DELETE /api/v1/session', 'GET /api/v1/session', 'OPTIONS /api/v1/events', 'OPTIONS /api/v1/opens', 'POST /api/v1/session']);
  });

  it('refuses no credential, an ingest key and a revoked token on every read route', async () => {
    for (const { method, url } of httpReads()) {
      const none = await app.inject({ method: method as 'GET', url });
      assert.equal(none.statusCode, 401, `${method} ${url}`);
      assert.equal(none.json().error.code, 'NOT_SIGNED_IN');
      const ingest = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${INGEST_KEY}` } });
      assert.equal(ingest.statusCode, 403, `${method} ${url}`);
      assert.equal(ingest.json().error.code, 'INGEST_KEY_CANNOT_READ');
      const revoked = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${revokedToken}` } });
      assert.equal(revoked.statusCode, 401, `${method} ${url}`);
      assert.equal(revoked.json().error.code, 'UNKNOWN_TOKEN');
    }
  });

  it('accepts a read token and a session on every read route', async () => {
    // Past the credential check: a made-up id is not found, a missing body is a bad request.
    const expected = (url: string): number => (url.includes(':id') || url.includes(':code') ? 404 : url.endsWith('/backtest') ? 400 : 200);
    for (const { method, url } of httpReads()) {
      const path = url.replace(':id', 'x_unknown').replace(':code', '4999');
      const token = await app.inject({ method: method as 'GET', url: path, headers: { authorization: `Bearer ${READ_TOKEN}` } });
      assert.equal(token.statusCode, expected(url), `${method} ${url}: ${token.body}`);
      const session = await app.inject({ method: method as 'GET', url: path, headers: { cookie: sessionCookie } });
      assert.equal(session.statusCode, expected(url), `${method} ${url}: ${session.body}`);
    }
  });

  it('every change needs a session: no credential and a read token are refused, a session passes', async () => {
    const changes = routes.filter((r) => accessOf(r) === 'admin').flatMap((r) => methods(r).map((method) => ({ method, url: r.url })));
    assert.deepEqual(changes.map((r) => `${r.method} ${r.url}`).sort(), [
      'DELETE /api/v1/alert-rules/:id',
      'DELETE /api/v1/codes/:code',
      'DELETE /api/v1/notification-targets/:id',
      'DELETE /api/v1/silences/:id',
      'PATCH /api/v1/alert-rules/:id',
      'PATCH /api/v1/notification-targets/:id',
      'POST /api/v1/alert-rules',
      'POST /api/v1/notification-targets',
      'POST /api/v1/notification-targets/:id/test',
      'POST /api/v1/silences',
      'PUT /api/v1/alert-rules/:id',
      'PUT /api/v1/codes/:code',
    ]);
    // With a session the request gets past the credential check: no body is a 400, a made-up id a 404.
    const expected = (method: string, url: string): number => (method === 'DELETE' || url.endsWith('/test') ? 404 : 400);
    for (const { method, url } of changes) {
      const path = url.replace(':id', 'x_unknown').replace(':code', '4999');
      const none = await app.inject({ method: method as 'POST', url: path });
      assert.equal(none.statusCode, 401, `${method} ${url}`);
      const token = await app.inject({ method: method as 'POST', url: path, headers: { authorization: `Bearer ${READ_TOKEN}` } });
      assert.equal(token.json().error.code, 'SESSION_REQUIRED', `${method} ${url}`);
      const session = await app.inject({ method: method as 'POST', url: path, headers: { cookie: sessionCookie } });
      assert.equal(session.statusCode, expected(method, url), `${method} ${url}: ${session.body}`);
    }
  });
});

describe('ingest stays in its lane', () => {
  const post = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/v1/events', headers: { 'content-type': 'application/json', ...headers }, payload: { events: [makeEvent()] } });

  it('refuses read tokens and sessions, takes ingest keys', async () => {
    const token = await post({ authorization: `Bearer ${READ_TOKEN}` });
    assert.equal(token.statusCode, 403);
    assert.equal(token.json().error.code, 'READ_TOKEN_CANNOT_INGEST');
    const session = await post({ cookie: sessionCookie });
    assert.equal(session.statusCode, 401);
    assert.equal(session.json().error.code, 'MISSING_KEY');
    assert.equal((await post({ authorization: `Bearer ${INGEST_KEY}` })).statusCode, 200);
  });

  it('takes a browser key only with an Origin of its list', async () => {
    const { secret } = await app.db.keys.create({ name: 'page', kind: 'browser', allowedOrigins: ['https://app.example.com'] });
    const bare = await post({ authorization: `Bearer ${secret}` });
    assert.equal(bare.statusCode, 403);
    assert.equal(bare.json().error.code, 'ORIGIN_REQUIRED');
    assert.equal((await post({ authorization: `Bearer ${secret}`, origin: 'https://app.example.com' })).statusCode, 200);
  });
});

/**
 * Opens the live socket; resolves with 'open', or with the HTTP status and error code of
 * a refused upgrade once the collector has closed that connection (the client never
 * aborts it: a stranger's refused upgrade must not hold a socket).
 */
function openLive(query: string, headers: Record<string, string>): Promise<{ status: number | 'open'; code?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${base}/api/v1/live${query}`, { headers });
    socket.on('open', () => {
      socket.close();
      resolve({ status: 'open' });
    });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      const closed = new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error('the collector kept a refused upgrade open for 5 s')), 5000);
        response.socket.once('close', () => {
          clearTimeout(timer);
          done(null);
        });
      });
      response.on('end', () => {
        const code = (JSON.parse(body) as { error: { code: string } }).error.code;
        closed.then(() => resolve({ status: response.statusCode ?? 0, code }), reject);
      });
    });
    socket.on('error', () => {});
  });
}

describe('the live socket', () => {
  const own = () => base.replace(/^ws/, 'http');

  it('refuses no credential, an ingest key and a foreign Origin before the upgrade', async () => {
    assert.deepEqual(await openLive('', {}), { status: 401, code: 'NOT_SIGNED_IN' });
    assert.deepEqual(await openLive('', { authorization: `Bearer ${INGEST_KEY}` }), { status: 403, code: 'INGEST_KEY_CANNOT_READ' });
    assert.deepEqual(await openLive('', { cookie: sessionCookie, origin: 'https://evil.example' }), { status: 403, code: 'FOREIGN_ORIGIN' });
    assert.deepEqual(await openLive('?ticket=1900000000000.bm9uY2U.forged', { origin: own() }), { status: 401, code: 'NOT_SIGNED_IN' });
  });

  it('opens for a read token, a session from its own origin, and a ticket', async () => {
    assert.deepEqual(await openLive('', { authorization: `Bearer ${READ_TOKEN}` }), { status: 'open' });
    assert.deepEqual(await openLive('', { cookie: sessionCookie, origin: own() }), { status: 'open' });
    const issued = await app.inject({ method: 'POST', url: '/api/v1/live/ticket', headers: { cookie: sessionCookie } });
    const { ticket } = issued.json<{ ticket: string }>();
    assert.deepEqual(await openLive(`?ticket=${encodeURIComponent(ticket)}`, { origin: own() }), { status: 'open' });
    // A ticket opens the live feed and nothing else.
    const misuse = await app.inject({ url: `/api/v1/stats/summary?ticket=${encodeURIComponent(ticket)}` });
    assert.equal(misuse.json().error.code, 'TICKET_FOR_LIVE_ONLY');
  });
});

describe('sessions', () => {
  it('signs in with the password only, and out', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { password: 'not it' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error.code, 'WRONG_PASSWORD');
    assert.equal(wrong.cookies.length, 0, 'no session for a failed sign-in');

    const before = Date.now();
    const signIn = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { password: PASSWORD } });
    const after = Date.now();
    const cookie = signIn.cookies.find((c) => c.name === 'closewatch_session');
    assert.deepEqual(
      cookie && { httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, path: cookie.path, secure: cookie.secure ?? false },
      { httpOnly: true, sameSite: 'Lax', path: '/', secure: false },
    );
    // Seven days (SESSION_TTL_HOURS=168) from the sign-in; the cookie says the same, to the second.
    const { expiresAt } = signIn.json<{ expiresAt: number }>();
    assert.ok(expiresAt >= before + 168 * 3_600_000 && expiresAt <= after + 168 * 3_600_000, `expiresAt ${expiresAt}`);
    assert.equal((cookie?.expires as Date | undefined)?.getTime(), Math.floor(expiresAt / 1000) * 1000);
    const header = `closewatch_session=${cookie?.value}`;
    assert.deepEqual((await app.inject({ url: '/api/v1/session', headers: { cookie: header } })).json().signedIn, true);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: header } })).statusCode, 204);
    assert.equal((await app.inject({ url: '/api/v1/stats/summary', headers: { cookie: header } })).statusCode, 401, 'the session itself is gone');
  });

  it('marks the cookie Secure behind a trusted https proxy only', async () => {
    const direct = await app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'x-forwarded-proto': 'https' }, payload: { password: PASSWORD } });
    assert.equal(direct.cookies[0]?.secure ?? false, false, 'X-Forwarded-Proto from an untrusted peer is ignored');
  });

  it('refuses a change from a foreign origin even with a valid session', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/live/ticket', headers: { cookie: sessionCookie, origin: 'https://evil.example' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'FOREIGN_ORIGIN');
  });
});

describe('security headers', () => {
  it('sends a content security policy and the usual hardening headers', async () => {
    const res = await app.inject({ url: '/healthz' });
    assert.equal(
      res.headers['content-security-policy'],
      "default-src 'self';base-uri 'self';font-src 'self';form-action 'self';frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self';connect-src 'self'",
    );
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(res.headers['strict-transport-security'], undefined);
  });
});

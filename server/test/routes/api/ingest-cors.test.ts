import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, TEST_KEY, type TestApp } from '../../helpers/test-app.js';
import { makeEvent } from '../../helpers/events.js';

let t: TestApp;
let browserKey: string;
const ALLOWED = 'https://app.example.com';

before(async () => {
  t = await startTestApp();
  browserKey = (await t.app.db.keys.create({ name: 'web', kind: 'browser', allowedOrigins: [ALLOWED] })).secret;
});
after(() => t.destroy());

const post = (key: string, origin?: string) =>
  t.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    payload: { events: [makeEvent({ service: 'web' })] },
  });

test('preflight is answered for an allowed origin only', async () => {
  const ok = await t.inject({ method: 'OPTIONS', url: '/api/v1/events', headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
  assert.equal(ok.statusCode, 204);
  assert.equal(ok.headers['access-control-allow-origin'], ALLOWED);
  assert.match(String(ok.headers['access-control-allow-headers']), /authorization/);
  const refused = await t.inject({ method: 'OPTIONS', url: '/api/v1/events', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.headers['access-control-allow-origin'], undefined);
});

test('a browser key works from its origin, not from others, and browser events are marked', async () => {
  const ok = await post(browserKey, ALLOWED);
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.headers['access-control-allow-origin'], ALLOWED);
  const row = (await t.query("SELECT source FROM close_event WHERE service = 'web'"))[0];
  assert.deepEqual(row, { source: 'browser' });
  const other = await post(browserKey, 'https://evil.example');
  assert.equal(other.statusCode, 403);
  assert.equal(other.json().error.code, 'ORIGIN_NOT_ALLOWED');
});

test('a server key is refused from a browser', async () => {
  const res = await post(TEST_KEY, ALLOWED);
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error.code, 'SERVER_KEY_IN_BROWSER');
  const count = (await t.query("SELECT count(*) AS n FROM close_event WHERE service = 'web'"))[0] as { n: number };
  assert.equal(count.n, 1);
});

test("each browser key holds to its own origins, even ones another key allows", async () => {
  const OTHER = 'https://admin.example.com';
  const other = (await t.app.db.keys.create({ name: 'admin', kind: 'browser', allowedOrigins: [OTHER] })).secret;
  // The preflight passes (some key allows OTHER); the request itself is checked per key.
  const preflight = await t.inject({ method: 'OPTIONS', url: '/api/v1/events', headers: { origin: OTHER, 'access-control-request-method': 'POST' } });
  assert.equal(preflight.statusCode, 204);
  const crossed = await post(browserKey, OTHER);
  assert.equal(crossed.statusCode, 403);
  assert.deepEqual(crossed.json(), { error: { code: 'ORIGIN_NOT_ALLOWED', message: 'this browser key does not allow origin https://admin.example.com' } });
  const own = await post(other, OTHER);
  assert.equal(own.statusCode, 200);
  const count = (await t.query("SELECT count(*) AS n FROM close_event WHERE service = 'web'"))[0] as { n: number };
  assert.equal(count.n, 2);
});

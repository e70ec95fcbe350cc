import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CLIENT_KEY_RULE, EVENT_LIMITS } from '@closewatch/sdk/event-limits';
import { startTestApp, TEST_KEY, TEST_READ_TOKEN, type TestApp } from '../../helpers/test-app.js';

let t: TestApp;

before(async () => {
  t = await startTestApp({ MAX_BATCH_EVENTS: '100' });
});
after(() => t.destroy());

let counter = 0;
function notice(extra: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return { id: `open-${counter}`, clientKey: 'ios:1234', openedAt: Date.now() - 1_000, service: 'chat', instance: 'chat-1', route: '/ws', ...extra };
}

function post(body: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/opens',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function stored(): Promise<number> {
  return Number((await t.query<{ n: number }>('SELECT COUNT(*) AS n FROM connection_open'))[0]?.n);
}

test('stores a batch of notices once: a retry of it is all duplicates and stores nothing', async () => {
  const before0 = await stored();
  const batch = { opens: [notice(), notice({ clientKey: 'web:abcd', route: '/rooms/:id' })], meta: { sdk: 'closewatch-node/0.1.0', dropped: 0 } };
  const first = await post(batch);
  assert.equal(first.statusCode, 200, first.body);
  assert.deepEqual(first.json(), { accepted: 2, duplicates: 0, rejected: [] });
  const retry = await post(batch);
  assert.deepEqual(retry.json(), { accepted: 0, duplicates: 2, rejected: [] });
  assert.equal(await stored(), before0 + 2);
  const [row] = await t.query<{ client_key: string; service: string; instance: string; route: string }>(
    "SELECT client_key, service, instance, route FROM connection_open WHERE client_key = 'web:abcd'",
  );
  assert.deepEqual({ ...row }, { client_key: 'web:abcd', service: 'chat', instance: 'chat-1', route: '/rooms/:id' });
});

test('refuses each invalid notice with a 400 naming its field, and stores the valid ones of a mixed batch', async () => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [notice({ clientKey: undefined }), 'clientKey', /^opens\[0\]\.clientKey is required$/],
    [notice({ clientKey: 'a\nb' }), 'clientKey', new RegExp(`^opens\\[0\\]\\.clientKey must be ${CLIENT_KEY_RULE}$`)],
    [notice({ clientKey: 'k'.repeat(EVENT_LIMITS.clientKeyLength + 1) }), 'clientKey', /clientKey must be/],
    [notice({ openedAt: '2026-12-02' }), 'openedAt', /^opens\[0\]\.openedAt must be epoch milliseconds/],
    [notice({ openedAt: Date.now() + 2 * 86_400_000 }), 'openedAt', /in the future/],
    [notice({ openedAt: 1_000 }), 'openedAt', /before the year 2000/],
    [notice({ service: '' }), 'service', /^opens\[0\]\.service must be a non-empty string of at most \d+ characters$/],
    [notice({ instance: 'i'.repeat(EVENT_LIMITS.instanceLength + 1) }), 'instance', /instance must be/],
    [notice({ route: 'r'.repeat(EVENT_LIMITS.routeLength + 1) }), 'route', /route must be/],
    [notice({ id: '' }), 'id', /^opens\[0\]\.id must be/],
  ];
  const before0 = await stored();
  for (const [bad, field, message] of cases) {
    const res = await post({ opens: [bad] });
    assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
    const body = res.json<{ error: { code: string; message: string }; rejected: Array<{ index: number; field: string; message: string }> }>();
    assert.equal(body.error.code, 'NO_VALID_OPENS');
    assert.equal(body.rejected[0]?.field, field);
    assert.match(body.rejected[0]?.message ?? '', message);
    assert.match(body.error.message, new RegExp(`^none of the 1 open notices is valid; opens\\[0\\]`));
  }
  const notObject = await post({ opens: [42] });
  assert.equal(notObject.json<{ rejected: Array<{ message: string }> }>().rejected[0]?.message, 'opens[0] must be a JSON object with id, clientKey, openedAt, service, instance and route');
  const mixed = await post({ opens: [notice(), notice({ clientKey: '' })] });
  assert.equal(mixed.statusCode, 200);
  assert.deepEqual(mixed.json<{ accepted: number; rejected: Array<{ index: number; field: string }> }>().rejected.map((r) => [r.index, r.field]), [[1, 'clientKey']]);
  assert.equal(await stored(), before0 + 1);
});

test('refuses whole requests as the events ingest does, in the one error shape', async () => {
  const empty = await post({ opens: [] });
  assert.equal(empty.statusCode, 400);
  assert.deepEqual(empty.json(), { error: { code: 'EMPTY_BATCH', message: 'opens is empty; send at least one open notice' } });
  const missing = await post({ events: [] });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.json<{ error: { message: string } }>().error.message, /opens/);
  const tooMany = await post({ opens: Array.from({ length: 101 }, () => notice()) });
  assert.equal(tooMany.statusCode, 413);
  assert.equal(tooMany.json<{ error: { code: string } }>().error.code, 'BATCH_TOO_LARGE');
  const noKey = await post({ opens: [notice()] }, { authorization: '' });
  assert.equal(noKey.statusCode, 401);
  const readToken = await post({ opens: [notice()] }, { authorization: `Bearer ${TEST_READ_TOKEN}` });
  assert.equal(readToken.statusCode, 403);
  const unknownOrigin = await post({ opens: [notice()] }, { origin: 'https://app.example.com' });
  assert.equal(unknownOrigin.statusCode, 403);
  assert.equal(unknownOrigin.json<{ error: { code: string } }>().error.code, 'ORIGIN_NOT_ALLOWED');
  const text = await post('x', { 'content-type': 'text/plain' });
  assert.equal(text.statusCode, 415);
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient, type ClosewatchError } from '@closewatch/sdk';
import { adminSession } from '../../helpers/admin-session.js';
import { startTestApp, TEST_KEY, type TestApp } from '../../helpers/test-app.js';
import { waitFor } from '../../helpers/wait-for.js';

let t: TestApp;
let base: string;
let cookie: string;

before(async () => {
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  cookie = await adminSession(t);
});
after(() => t.destroy());

type Listed = { code: number; name: string; category: string; retry: boolean | null; source: string };
const custom = async (): Promise<Listed[]> => (await t.inject('/api/v1/codes')).json<{ codes: Array<Listed & { custom: boolean }> }>().codes.filter((c) => c.custom);

test('the SDK registers its codes with a real collector at start; a name set in the dashboard stays', async () => {
  const put = await t.app.inject({ method: 'PUT', url: '/api/v1/codes/4002', headers: { cookie }, payload: { name: 'Kicked by a moderator' } });
  assert.equal(put.statusCode, 201, put.body);
  const errors: ClosewatchError[] = [];
  const client = createClient({
    apiKey: TEST_KEY,
    collectorUrl: base,
    onError: (e) => errors.push(e),
    codes: { 4001: { name: 'Room closed', retry: false }, 4002: { name: 'Kicked', category: 'client-error' }, 3000: { name: 'Token expired', retry: true } },
  });
  await waitFor('the registered codes', async () => (await custom()).length === 3);
  assert.deepEqual(
    (await custom()).map((c) => [c.code, c.name, c.category, c.retry, c.source]),
    [
      [3000, 'Token expired', 'application', true, 'sdk'],
      [4001, 'Room closed', 'application', false, 'sdk'],
      [4002, 'Kicked by a moderator', 'application', false, 'ui'],
    ],
  );
  // The collector's own names follow at once: an event of 4001 is named in the events list.
  const ingest = await t.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: `Bearer ${TEST_KEY}` },
    payload: { events: [{ id: 'sdk-codes-1', ts: Date.now() - 1000, code: 4001, reason: '', wasClean: true, initiator: 'server', service: 'chat', instance: 'a', route: '/ws' }] },
  });
  assert.equal(ingest.statusCode, 200, ingest.body);
  const events = (await t.inject('/api/v1/events?code=4001')).json<{ events: Array<{ code: number; name: string }> }>().events;
  assert.deepEqual(events.map((e) => [e.code, e.name]), [[4001, 'Room closed']]);
  await client.close();
  assert.deepEqual(errors, []);
});

test('a browser key cannot register names: the SDK reports the refusal through onError', async () => {
  const browser = await t.app.db.keys.create({ name: 'site', kind: 'browser', allowedOrigins: ['https://app.example.com'] });
  const errors: ClosewatchError[] = [];
  const client = createClient({ apiKey: browser.secret, collectorUrl: base, onError: (e) => errors.push(e), codes: { 4100: { name: 'Nope' } } });
  await waitFor('the refusal', () => errors.length === 1);
  assert.deepEqual(errors.map((e) => [e.kind, e.status]), [['codes_failed', 403]]);
  // Without an Origin (a back end), a browser key is refused before the route even looks at the codes.
  assert.match(errors[0]?.message ?? '', /collector answered 403 \(ORIGIN_REQUIRED: /);
  assert.equal((await t.inject('/api/v1/codes/4100')).statusCode, 404);
  await client.close();
});

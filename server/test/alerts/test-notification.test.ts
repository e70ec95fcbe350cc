import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { adminSession } from '../helpers/admin-session.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let cookie: string;
let receiver: Server;
let receiverUrl: string;
/** Requests the receiver got, each held until the test answers it. */
const held: Array<{ body: string; res: ServerResponse<IncomingMessage> }> = [];

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      held.push({ body, res });
      receiver.emit('held');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  t = await startTestApp({ ALERT_EVAL_INTERVAL_MS: '0' });
  cookie = await adminSession(t);
});

after(async () => {
  await t.destroy();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

test('a test notification is sent once, even when the outbox runs while it is on its way', async () => {
  const target = (await t.app.inject({ method: 'POST', url: '/api/v1/notification-targets', headers: { cookie }, payload: { name: 'hook', kind: 'webhook', url: receiverUrl } })).json<{ id: string }>();
  const answer = t.app.inject({ method: 'POST', url: `/api/v1/notification-targets/${target.id}/test`, headers: { cookie } });
  await once(receiver, 'held');
  // The receiver holds the first attempt; the outbox's timer fires meanwhile.
  assert.equal(await t.app.alerts.notifier.run(), 0);
  assert.equal(held.length, 1);
  held[0]?.res.writeHead(204).end();
  const result = await answer;
  assert.equal(result.statusCode, 200, result.body);
  assert.equal(result.json<{ ok: boolean }>().ok, true);
  // Delivered: a later outbox run has nothing to send either.
  assert.equal(await t.app.alerts.notifier.run(), 0);
  const log = (await t.inject(`/api/v1/notification-targets/${target.id}/attempts`)).json<{ attempts: Array<{ event: string; status: number }> }>();
  assert.deepEqual(log.attempts.map((a) => [a.event, a.status]), [['test', 204]]);
  assert.equal(held.length, 1);
  assert.equal((JSON.parse(held[0]?.body ?? '{}') as { event: string }).event, 'test');
});

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createClient, type ClosewatchClient } from '@closewatch/sdk';
import { userAgentFamily } from '@closewatch/sdk/user-agent-family';
import { WebSocket, WebSocketServer } from 'ws';
import type { Reconnects } from '../../../src/api-types.js';
import { startTestApp, TEST_KEY, type TestApp } from '../../helpers/test-app.js';
import { waitFor } from '../../helpers/wait-for.js';

// A rolling restart of two real instrumented `ws` instances on loopback: instance A
// tells its five clients 1012, and each comes back to instance B on its own schedule
// (or never). Every client has the same address; only their user agents differ, as
// behind one NAT. The collector must report exactly the schedules the clients used.

interface Schedule {
  name: string;
  userAgent: string;
  /** ms from the 1012 to the next connection; null: never comes back. */
  delayMs: number | null;
}

const SCHEDULES: Schedule[] = [
  { name: 'immediate', userAgent: 'okhttp/4.12.0', delayMs: 0 },
  { name: 'fixed 1 s', userAgent: 'Python/3.11 websockets/13.0', delayMs: 1_000 },
  { name: 'jittered 7.5 s', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', delayMs: 7_500 },
  { name: 'jittered 12.5 s', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', delayMs: 12_500 },
  // Same address, same library family as the first, another version: another client.
  { name: 'never', userAgent: 'okhttp/4.11.0', delayMs: null },
];

let t: TestApp;
let collectorUrl: string;
const instances: Array<{ wss: WebSocketServer; sdk: ClosewatchClient; url: string }> = [];
const sockets: WebSocket[] = [];

async function instance(name: string, service = 'chat'): Promise<{ wss: WebSocketServer; sdk: ClosewatchClient; url: string }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const sdk = createClient({ apiKey: TEST_KEY, collectorUrl, service, instance: name, flushIntervalMs: 100, onError: () => {} });
  sdk.instrument(wss);
  return { wss, sdk, url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws` };
}

function connect(url: string, userAgent: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { 'user-agent': userAgent } });
    sockets.push(socket);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

before(async () => {
  t = await startTestApp();
  collectorUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  instances.push(await instance('chat-a'), await instance('chat-b'), await instance('lobby-a', 'lobby'), await instance('lobby-b', 'lobby'));
});
after(async () => {
  for (const s of sockets) s.terminate();
  for (const i of instances) {
    await i.sdk.close(2_000);
    await new Promise<void>((resolve) => i.wss.close(() => resolve()));
  }
  await t.destroy();
});

it('reports the delays the clients used, to the bucket, and the client that never came back', async () => {
  const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
  const opensBefore = await t.query<{ n: number }>('SELECT COUNT(*) AS n FROM connection_open');
  assert.equal(Number(opensBefore[0]?.n), 0);
  const from = Date.now() - 60_000;
  const first = await Promise.all(SCHEDULES.map((s) => connect(a.url, s.userAgent)));
  await waitFor('instance A to hold every client', () => a.wss.clients.size === SCHEDULES.length);
  await new Promise((resolve) => setTimeout(resolve, 200));

  // Each client comes back to B after its own delay from the moment it saw the close.
  const back = SCHEDULES.map((s, i) =>
    new Promise<WebSocket | null>((resolve, reject) => {
      (first[i] as WebSocket).once('close', (code) => {
        if (code !== 1012) return reject(new Error(`${s.name} was closed with ${code}`));
        if (s.delayMs === null) return resolve(null);
        setTimeout(() => connect(b.url, s.userAgent).then(resolve, reject), s.delayMs);
      });
    }),
  );
  for (const socket of a.wss.clients) socket.close(1012, 'rolling restart');
  const returned = await Promise.all(back);
  // The next connections end (the SDK reports a connection when it closes).
  for (const socket of returned) socket?.close(1000, 'bye');
  await waitFor('instance B to see every client leave', () => b.wss.clients.size === 0, 10_000);
  await Promise.all(instances.map((i) => i.sdk.flush(5_000)));
  const stored = async (): Promise<number> => Number((await t.query<{ n: number }>('SELECT COUNT(*) AS n FROM close_event'))[0]?.n);
  await waitFor('the collector to store all nine closes', async () => (await stored()) === 9, 10_000);

  const res = await t.inject(`/api/v1/stats/reconnects?service=chat&from=${from}&to=${Date.now() + 60_000}`);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<Reconnects>();
  assert.equal(body.closes, 5);
  assert.equal(body.reconnected, 4);
  assert.equal(body.notReturned, 1);
  assert.equal(body.tooFast, 2);
  assert.equal(body.compliantShare, 0.5);
  assert.deepEqual(
    Object.fromEntries(body.delayHistogram.filter((h) => h.count > 0).map((h) => [h.label, h.count])),
    { '0 ms - 250 ms': 1, '750 ms - 1.5 s': 1, '5 s - 10 s': 1, '10 s - 15 s': 1 },
  );
  assert.deepEqual(
    body.byCode.map((c) => [c.code, c.closes, c.reconnected, c.notReturned]),
    [[1012, 5, 4, 1]],
  );
  // The too-fast populations, by the user-agent family the SDK derived.
  assert.deepEqual(
    body.offenders.map((o) => [o.kind, o.value, o.reconnected, o.tooFast]).sort(),
    [
      ['agent', userAgentFamily(SCHEDULES[0]?.userAgent), 1, 1],
      ['agent', userAgentFamily(SCHEDULES[1]?.userAgent), 1, 1],
    ].sort(),
  );
  // Each connection carries its own client's key: five clients, one address.
  const keys = await t.query<{ k: string }>("SELECT DISTINCT client_key AS k FROM close_event WHERE instance = 'chat-a'");
  assert.equal(keys.length, 5);
});

// Clients that come back and stay connected: before the SDK reported opens, the collector
// learnt of a next connection only when it closed, so until then all of them counted as
// not returned. Now each counts as back, in its delay's bucket, as soon as it is connected.
const STAYING: Schedule[] = [
  { name: 'immediate', userAgent: 'okhttp/4.12.0', delayMs: 0 },
  { name: 'fixed 1 s', userAgent: 'Python/3.11 websockets/13.0', delayMs: 1_000 },
  { name: 'jittered 6 s', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', delayMs: 6_000 },
  { name: 'never', userAgent: 'okhttp/4.11.0', delayMs: null },
];

it('counts clients that came back and are still connected as reconnected at once, in their delay bucket', async () => {
  const [, , a, b] = instances as Array<(typeof instances)[0]> as [unknown, unknown, (typeof instances)[0], (typeof instances)[0]];
  const from = Date.now() - 60_000;
  const first = await Promise.all(STAYING.map((s) => connect(a.url, s.userAgent)));
  await waitFor('instance A to hold every client', () => a.wss.clients.size === STAYING.length);
  const back = STAYING.map((s, i) =>
    new Promise<WebSocket | null>((resolve, reject) => {
      (first[i] as WebSocket).once('close', (code) => {
        if (code !== 1012) return reject(new Error(`${s.name} was closed with ${code}`));
        if (s.delayMs === null) return resolve(null);
        setTimeout(() => connect(b.url, s.userAgent).then(resolve, reject), s.delayMs);
      });
    }),
  );
  for (const socket of a.wss.clients) socket.close(1012, 'rolling restart');
  await Promise.all(back);
  await waitFor('instance B to hold the three clients that came back', () => b.wss.clients.size === 3);
  await Promise.all(instances.map((i) => i.sdk.flush(5_000)));
  const count = async (text: string): Promise<number> => Number((await t.query<{ n: number }>(text))[0]?.n);
  await waitFor('the four closes on A', async () => (await count("SELECT COUNT(*) AS n FROM close_event WHERE service = 'lobby'")) === 4, 10_000);
  // One notice per connection that stayed open; none of B's connections has closed.
  assert.equal(await count("SELECT COUNT(*) AS n FROM connection_open WHERE instance = 'lobby-b'"), 3);
  assert.equal(await count("SELECT COUNT(*) AS n FROM close_event WHERE instance = 'lobby-b'"), 0);

  // One window for both reads: the answer names its window, so a retry must read the same one.
  const to = Date.now() + 60_000;
  const res = await t.inject(`/api/v1/stats/reconnects?service=lobby&from=${from}&to=${to}`);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<Reconnects>();
  assert.equal(body.closes, 4);
  assert.equal(body.reconnected, 3);
  assert.equal(body.notReturned, 1);
  assert.equal(body.tooFast, 2);
  // The immediate client's delay is the reconnect handshake itself: on a loaded machine
  // (a PG run saw it) that takes over 250 ms, so it is held to the two buckets under 750 ms.
  const under750 = new Set(['0 ms - 250 ms', '250 ms - 750 ms']);
  const counts = body.delayHistogram.filter((h) => h.count > 0);
  assert.equal(counts.filter((h) => under750.has(h.label)).reduce((n, h) => n + h.count, 0), 1, JSON.stringify(counts));
  assert.deepEqual(Object.fromEntries(counts.filter((h) => !under750.has(h.label)).map((h) => [h.label, h.count])), { '750 ms - 1.5 s': 1, '5 s - 10 s': 1 });
  assert.deepEqual(body.byCode.map((c) => [c.code, c.closes, c.reconnected, c.notReturned]), [[1012, 4, 3, 1]]);

  // The SDK retried nothing here, but a retried batch of the same notices must change no answer.
  const stored = await t.query<{ notice_id: string; client_key: string; opened_at: number | bigint; instance: string; route: string }>(
    "SELECT notice_id, client_key, opened_at, instance, route FROM connection_open WHERE service = 'lobby'",
  );
  const replay = await t.app.inject({
    method: 'POST',
    url: '/api/v1/opens',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
    payload: { opens: stored.map((r) => ({ id: r.notice_id, clientKey: r.client_key, openedAt: Number(r.opened_at), service: 'lobby', instance: r.instance, route: r.route })) },
  });
  assert.equal(replay.statusCode, 200, replay.body);
  assert.deepEqual(replay.json(), { accepted: 0, duplicates: stored.length, rejected: [] });
  const again = await t.inject(`/api/v1/stats/reconnects?service=lobby&from=${from}&to=${to}`);
  assert.deepEqual(again.json(), body);
});

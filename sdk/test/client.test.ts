import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { createClient, instrument, type ClosewatchError } from '../src/index.js';
import { FakeCollector } from './helpers/fake-collector.js';
import { closed, nextConnection, openClient, startWss } from './helpers/ws.js';

let sink: FakeCollector;
before(async () => {
  sink = await FakeCollector.start();
});
after(async () => {
  await sink.close();
});

const base = (): { apiKey: string; collectorUrl: string; flushIntervalMs: number } => ({
  apiKey: 'cw_test',
  collectorUrl: sink.url,
  flushIntervalMs: 60_000,
});

type Counts = Record<string, number>;
function listenerCounts(emitter: WebSocket | WebSocketServer): Counts {
  const counts: Counts = {};
  for (const name of emitter.eventNames()) counts[String(name)] = emitter.listenerCount(name);
  return counts;
}

/** A noServer WebSocketServer behind an http server whose upgrades the test completes itself. */
async function noServerSetup(): Promise<{
  wss: WebSocketServer;
  port: number;
  upgraded: () => Promise<{ socket: WebSocket; request: IncomingMessage }>;
  stop: () => Promise<void>;
}> {
  const wss = new WebSocketServer({ noServer: true });
  const pending: Array<(value: { socket: WebSocket; request: IncomingMessage }) => void> = [];
  const http = createServer();
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(request, socket, head, (ws) => pending.shift()?.({ socket: ws, request }));
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const port = (http.address() as AddressInfo).port;
  const upgraded = (): Promise<{ socket: WebSocket; request: IncomingMessage }> =>
    new Promise((resolve) => pending.push(resolve));
  const stop = async (): Promise<void> => {
    // Upgraded sockets belong to the WebSocketServer now, not to the http server.
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => http.close(() => resolve()));
  };
  return { wss, port, upgraded, stop };
}

test('noServer mode: the connection event the app emits after handleUpgrade is followed', async (t) => {
  const { wss, port, upgraded, stop: stopServer } = await noServerSetup();
  // Closed even when an assertion fails: open sockets would keep the file from ever ending.
  t.after(stopServer);
  const stop = instrument(wss, { ...base(), service: 'noserver' });
  const next = upgraded();
  const client = await openClient(`ws://127.0.0.1:${port}/ns/path?x=1`);
  const { socket, request } = await next;
  wss.emit('connection', socket, request);
  const serverClosed = closed(socket);
  client.close(1000);
  await serverClosed;
  await stop.flush();
  const events = sink.events.filter((e) => e.service === 'noserver');
  assert.deepEqual(events.map((e) => [e.route, e.initiator, e.code, e.reason, e.wasClean]), [['/ns/path', 'client', 1000, '', true]]);
  assert.deepEqual(stop.client.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0, requests: 1 });
  await stop.close();
});

test('uninstrument leaves no listener or wrapper behind, on the server and on open sockets', async (t) => {
  const { wss, port, upgraded, stop: stopServer } = await noServerSetup();
  t.after(stopServer);
  wss.on('connection', () => {});
  assert.deepEqual(listenerCounts(wss), { connection: 1 });
  const before = sink.events.length;
  const stop = instrument(wss, { ...base(), service: 'uninstrument' });
  assert.deepEqual(listenerCounts(wss), { connection: 2 });

  const next = upgraded();
  const client = await openClient(`ws://127.0.0.1:${port}/u`);
  const { socket, request } = await next;
  socket.on('message', () => {});
  // ws's own 'close' listener (client tracking) and the app's 'message' listener.
  assert.deepEqual(listenerCounts(socket), { close: 1, message: 1 });
  wss.emit('connection', socket, request);
  assert.deepEqual(listenerCounts(socket), { close: 2, message: 2 }, 'the SDK listens while instrumented');
  for (const name of ['send', 'close', 'terminate']) assert.equal(Object.hasOwn(socket, name), true, name);

  stop();
  assert.deepEqual(listenerCounts(wss), { connection: 1 });
  assert.deepEqual(listenerCounts(socket), { close: 1, message: 1 });
  for (const name of ['send', 'close', 'terminate']) assert.equal(Object.hasOwn(socket, name), false, name);
  assert.equal(socket.send, WebSocket.prototype.send);

  // The socket still works and its close is no longer reported.
  const echoed = once(client, 'message');
  socket.send('still works');
  assert.equal(String((await echoed)[0]), 'still works');
  const serverClosed = closed(socket);
  socket.close(1000);
  await serverClosed;
  await stop.flush();
  assert.equal(sink.events.length, before);
  assert.equal(sink.events.filter((e) => e.service === 'uninstrument').length, 0);
  assert.deepEqual(stop.client.stats(), { queued: 0, inFlight: 0, delivered: 0, failed: 0, dropped: 0, requests: 0 });
  await stop.close();
});

test('a wrapper another library put over ours survives uninstrument', async (t) => {
  const server = await startWss();
  t.after(server.stop);
  const stop = instrument(server.wss, { ...base(), service: 'rewrapped' });
  const connection = nextConnection(server.wss);
  const client = await openClient(`ws://127.0.0.1:${server.port}/`);
  const { socket } = await connection;
  const ours = socket.send;
  let theirs = 0;
  socket.send = function (this: WebSocket, ...args: Parameters<WebSocket['send']>) {
    theirs++;
    return ours.apply(this, args);
  } as WebSocket['send'];
  stop();
  const received = once(client, 'message');
  socket.send('x');
  await received;
  assert.equal(theirs, 1);
  await stop.close();
});

test('sampleRate 0 follows nothing; labels callback, remote address hash, overrides', async (t) => {
  const server = await startWss();
  t.after(server.stop);
  const errors: ClosewatchError[] = [];
  const client = createClient({
    ...base(),
    service: 'sampled',
    labels: (request) => ({ plan: String(request.headers['x-plan']), 'bad key that is far too long to be accepted by the collector ever': 'x' }),
    captureRemoteAddress: true,
    remoteAddressSalt: 'pepper',
    onError: (error) => errors.push(error),
  });
  const removeSampled = client.instrument(server.wss, { sampleRate: 0 });
  const connection = nextConnection(server.wss);
  const ws1 = await openClient(`ws://127.0.0.1:${server.port}/`, { headers: { 'x-plan': 'pro' } });
  const { socket: s1 } = await connection;
  assert.equal(Object.hasOwn(s1, 'send'), false, 'an unsampled socket is not touched');
  ws1.close();
  await closed(s1);
  removeSampled();

  const remove = client.instrument(server.wss, { service: 'override' });
  const connection2 = nextConnection(server.wss);
  const ws2 = await openClient(`ws://127.0.0.1:${server.port}/r`, { headers: { 'x-plan': 'pro' } });
  const { socket: s2 } = await connection2;
  ws2.close(1000);
  await closed(s2);
  await client.flush();
  assert.equal(sink.events.filter((e) => e.service === 'sampled').length, 0);
  const events = sink.events.filter((e) => e.service === 'override');
  // sha256('pepper' + '127.0.0.1'), first 16 hex characters (checked with sha256sum).
  assert.deepEqual(events.map((e) => [e.route, e.labels, e.remoteAddrHash]), [['/r', { plan: 'pro' }, 'ed99cd75414fa22e']]);
  // Only the sampled connection ran the callback; its 65-character key with spaces was dropped.
  assert.deepEqual(errors.map((e) => [e.kind, e.message]), [
    [
      'hook_failed',
      'closewatch: the labels option label key "bad key that is far too long to be accepted by the collector eve..." was dropped (keys are 1-64 characters of A-Z a-z 0-9 _ . : -, not __proto__); the valid labels were sent',
    ],
  ]);
  assert.deepEqual(client.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0, requests: 1 });
  remove();
  await client.close();
});

test('labels callback output: invalid entries dropped, long values cut, onError told, track() never throws', async (t) => {
  const server = await startWss();
  t.after(server.stop);
  const errors: ClosewatchError[] = [];
  const results: unknown[] = [
    { 'a\nb': 'x', plan: 'pro' },
    JSON.parse('{"__proto__": "x", "tier": "gold"}'),
    { long: 'v'.repeat(300) },
    { n: 5 },
    Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter boom');
      },
    }),
  ];
  let call = 0;
  const client = createClient({ ...base(), service: 'label-hook', labels: () => results[call++] as Record<string, string>, onError: (e) => errors.push(e) });
  for (const path of ['/l/a', '/l/b', '/l/c', '/l/d', '/l/e']) {
    const connection = nextConnection(server.wss);
    const ws = await openClient(`ws://127.0.0.1:${server.port}${path}`);
    const { socket, request } = await connection;
    client.track(socket, request);
    const serverClosed = closed(socket);
    ws.close(1000);
    await serverClosed;
  }
  await client.flush();
  assert.deepEqual(
    sink.events.filter((e) => e.service === 'label-hook').map((e) => [e.route, e.labels]),
    [['/l/a', { plan: 'pro' }], ['/l/b', { tier: 'gold' }], ['/l/c', { long: 'v'.repeat(256) }], ['/l/d', {}], ['/l/e', {}]],
  );
  const keyRule = 'keys are 1-64 characters of A-Z a-z 0-9 _ . : -, not __proto__';
  assert.deepEqual(errors.map((e) => [e.kind, e.message]), [
    ['hook_failed', `closewatch: the labels option label key "a\\nb" was dropped (${keyRule}); the valid labels were sent`],
    ['hook_failed', `closewatch: the labels option label key "__proto__" was dropped (${keyRule}); the valid labels were sent`],
    ['hook_failed', 'closewatch: the labels option label long was cut to 256 characters; the valid labels were sent'],
    ['hook_failed', 'closewatch: the labels option label n was dropped (values are strings, got 5); the valid labels were sent'],
    ['hook_failed', 'closewatch: the labels option labels callback result could not be read (getter boom); the valid labels were sent'],
  ]);
  await client.close();
});

test('a throwing route callback falls back to the URL path and is reported', async (t) => {
  const server = await startWss();
  t.after(server.stop);
  const errors: ClosewatchError[] = [];
  const stop = instrument(server.wss, {
    ...base(),
    service: 'hooks',
    route: () => {
      throw new Error('route boom');
    },
    onError: (error) => errors.push(error),
  });
  const connection = nextConnection(server.wss);
  const ws = await openClient(`ws://127.0.0.1:${server.port}/fallback?q=1`);
  const { socket } = await connection;
  ws.close(1000);
  await closed(socket);
  await stop.flush();
  assert.deepEqual(sink.events.filter((e) => e.service === 'hooks').map((e) => e.route), ['/fallback']);
  assert.deepEqual(errors.map((e) => [e.kind, e.message, (e.cause as Error).message]), [
    ['hook_failed', 'closewatch: the route option threw; the default was used', 'route boom'],
  ]);
  await stop.close();
});

test('a custom route callback and custom X-Forwarded-For address', async (t) => {
  const server = await startWss();
  t.after(server.stop);
  const stop = instrument(server.wss, {
    ...base(),
    service: 'custom-route',
    route: (request) => `/tenant/${String(request.headers['x-tenant'])}`,
    captureRemoteAddress: (request) => String(request.headers['x-forwarded-for']).split(',')[0]?.trim(),
  });
  const connection = nextConnection(server.wss);
  const ws = await openClient(`ws://127.0.0.1:${server.port}/x`, {
    headers: { 'x-tenant': 'acme', 'x-forwarded-for': '::ffff:203.0.113.7, 10.0.0.1' },
  });
  const { socket } = await connection;
  ws.close(1000);
  await closed(socket);
  await stop.flush();
  const events = sink.events.filter((e) => e.service === 'custom-route');
  // sha256('203.0.113.7') (no salt; the IPv4-mapped prefix removed), first 16 hex characters.
  assert.deepEqual(events.map((e) => [e.route, e.remoteAddrHash]), [['/tenant/acme', 'fec52565aa0cf18f']]);
  await stop.close();
});

test('close() detaches every socket, delivers the queue and later closes are not reported', async (t) => {
  const server = await startWss();
  t.after(server.stop);
  const stop = instrument(server.wss, { ...base(), service: 'closing' });
  const connection = nextConnection(server.wss);
  const ws = await openClient(`ws://127.0.0.1:${server.port}/`);
  const { socket } = await connection;
  const connection2 = nextConnection(server.wss);
  const ws2 = await openClient(`ws://127.0.0.1:${server.port}/`);
  const { socket: socket2 } = await connection2;
  ws.close(1000);
  await closed(socket);
  await stop.close();
  assert.equal(sink.events.filter((e) => e.service === 'closing').length, 1);
  assert.equal(Object.hasOwn(socket2, 'send'), false);
  assert.equal(server.wss.listenerCount('connection'), 0);
  ws2.close(1000);
  await closed(socket2);
  assert.deepEqual(stop.client.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0, requests: 1 });
});

test('the same socket is followed once even when instrumented twice by one client', async (t) => {
  const server = await startWss();
  t.after(server.stop);
  const client = createClient({ ...base(), service: 'twice' });
  const removeA = client.instrument(server.wss);
  const removeB = client.instrument(server.wss);
  const connection = nextConnection(server.wss);
  const ws = await openClient(`ws://127.0.0.1:${server.port}/`);
  const { socket } = await connection;
  ws.close(1000);
  await closed(socket);
  await client.flush();
  assert.equal(sink.events.filter((e) => e.service === 'twice').length, 1);
  assert.deepEqual(client.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0, requests: 1 });
  removeA();
  removeB();
  await client.close();
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, test } from 'node:test';
import { WebSocketServer, type WebSocket } from 'ws';
import { track, type ClosewatchOptions, type Instrumentation } from '../src/index.js';
import { FakeCollector } from './helpers/fake-collector.js';
import { closed, openClient } from './helpers/ws.js';

let sink: FakeCollector;
before(async () => {
  sink = await FakeCollector.start();
});
after(async () => {
  await sink.close();
});

test('track() follows sockets of a handleUpgrade setup that never emits connection, sharing one client', async (t) => {
  const options: ClosewatchOptions = { apiKey: 'cw_test', collectorUrl: sink.url, service: 'tracked', flushIntervalMs: 60_000 };
  const wss = new WebSocketServer({ noServer: true });
  const handles: Instrumentation[] = [];
  const sockets: WebSocket[] = [];
  const http = createServer();
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      handles.push(track(ws, request, options));
      sockets.push(ws);
      ws.on('message', (data) => ws.send(data));
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  // Closed even when an assertion fails: open sockets would keep the file from ever ending.
  t.after(async () => {
    for (const socket of sockets) socket.terminate();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  const port = (http.address() as AddressInfo).port;
  assert.equal(wss.listenerCount('connection'), 0);

  const a = await openClient(`ws://127.0.0.1:${port}/a`);
  const b = await openClient(`ws://127.0.0.1:${port}/b?x`);
  a.send('ping');
  await once(a, 'message');
  const [sa, sb] = sockets as [WebSocket, WebSocket];
  assert.equal(handles[0]?.client, handles[1]?.client, 'one client for one options object');

  const closedA = closed(sa);
  a.close(4001, 'done');
  await closedA;
  // Untracked before it closes: not reported.
  handles[1]?.();
  const closedB = closed(sb);
  b.close(1000);
  await closedB;
  await handles[0]?.flush();
  const events = sink.events.filter((e) => e.service === 'tracked');
  assert.deepEqual(
    events.map(({ code, reason, wasClean, route, initiator, messagesIn, messagesOut, bytesIn, bytesOut }) => ({ code, reason, wasClean, route, initiator, messagesIn, messagesOut, bytesIn, bytesOut })),
    [{ code: 4001, reason: 'done', wasClean: true, route: '/a', initiator: 'client', messagesIn: 1, messagesOut: 1, bytesIn: 4, bytesOut: 4 }],
  );
  assert.deepEqual(handles[0]?.client.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0, requests: 1 });
  await handles[0]?.close();
});

test('track() ignores a socket that is already closed, and throws TypeError for a non-socket', async () => {
  const options: ClosewatchOptions = { apiKey: 'cw_test', collectorUrl: sink.url };
  const fake = Object.assign(new (await import('node:events')).EventEmitter(), {
    readyState: 3,
    send() {},
    close() {},
    terminate() {},
  }) as unknown as WebSocket;
  const handle = track(fake, undefined, options);
  assert.equal(Object.hasOwn(fake, 'send'), true, 'own method of the fake, untouched');
  assert.equal((fake as unknown as { listenerCount(name: string): number }).listenerCount('close'), 0);
  handle();
  assert.throws(() => track({} as WebSocket, undefined, options), {
    name: 'TypeError',
    message: 'closewatch: track() needs a ws WebSocket as first argument',
  });
  await handle.close();
});

test('after close(), track() with the same options gets a fresh client', async (t) => {
  const options: ClosewatchOptions = { apiKey: 'cw_test', collectorUrl: sink.url, service: 'fresh', flushIntervalMs: 60_000 };
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  t.after(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
  const port = (wss.address() as AddressInfo).port;
  const sockets: WebSocket[] = [];
  wss.on('connection', (ws) => sockets.push(ws));
  const a = await openClient(`ws://127.0.0.1:${port}/one`);
  // ws emits 'connection' when it writes the 101, before the client sees 'open'.
  assert.equal(sockets.length, 1);
  const first = track(sockets[0] as WebSocket, undefined, options);
  await first.close();
  const b = await openClient(`ws://127.0.0.1:${port}/two`);
  assert.equal(sockets.length, 2);
  const second = track(sockets[1] as WebSocket, undefined, options);
  assert.notEqual(second.client, first.client);
  const closedB = closed(sockets[1] as WebSocket);
  b.close(1000);
  await closedB;
  await second.close();
  // No upgrade request was passed: the route is '/'.
  assert.deepEqual(sink.events.filter((e) => e.service === 'fresh').map((e) => e.route), ['/']);
  assert.deepEqual(second.client.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0, requests: 1 });
  // The first socket closes after its client did: nothing is queued for it anywhere.
  const closedA = closed(sockets[0] as WebSocket);
  a.terminate();
  await closedA;
  assert.deepEqual(first.client.stats(), { queued: 0, inFlight: 0, delivered: 0, failed: 0, dropped: 0, requests: 0 });
  assert.deepEqual(second.client.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0, requests: 1 });
});

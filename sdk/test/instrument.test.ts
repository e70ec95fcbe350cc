import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import type { WebSocket, WebSocketServer } from 'ws';
import { instrument, type ClosewatchError, type ClosewatchEvent, type Instrumentation } from '../src/index.js';
import { FakeCollector } from './helpers/fake-collector.js';
import { closed, maskedFrame, messages, nextConnection, openClient, rawUpgrade, startWss, UUID } from './helpers/ws.js';

let sink: FakeCollector;
let server: Awaited<ReturnType<typeof startWss>>;
let wss: WebSocketServer;
let stop: Instrumentation;
const errors: ClosewatchError[] = [];
const reported = new Set<string>();

before(async () => {
  sink = await FakeCollector.start();
  server = await startWss({ maxPayload: 64 });
  wss = server.wss;
  stop = instrument(wss, {
    apiKey: 'cw_test',
    collectorUrl: sink.url,
    service: 'chat',
    instance: 'test-1',
    labels: { region: 'eu-west' },
    flushIntervalMs: 60_000,
    onError: (error) => errors.push(error),
  });
  // ws emits 'error' before closing with 1002/1007/1009; a listener keeps the test alive.
  wss.on('connection', (socket: WebSocket) => socket.on('error', () => {}));
});

after(async () => {
  await stop.close();
  await server.stop();
  await sink.close();
});

const url = (path: string): string => `ws://127.0.0.1:${server.port}${path}`;

/** The one event reported since the last call; fails if there are zero or several. */
async function reportedEvent(): Promise<ClosewatchEvent> {
  await stop.flush();
  const fresh = sink.events.filter((event) => !reported.has(event.id));
  assert.equal(fresh.length, 1, `expected exactly one new event, got ${fresh.length}`);
  const [event] = fresh as [ClosewatchEvent];
  reported.add(event.id);
  assert.match(event.id, UUID);
  assert.equal(event.service, 'chat');
  assert.equal(event.instance, 'test-1');
  assert.deepEqual(event.labels, { region: 'eu-west' });
  assert.ok(Number.isInteger(event.durationMs) && event.durationMs >= 0);
  assert.equal(event.remoteAddrHash, undefined);
  return event;
}

function pick(event: ClosewatchEvent): Partial<ClosewatchEvent> {
  const { code, reason, wasClean, initiator, route, messagesIn, messagesOut, bytesIn, bytesOut } = event;
  return { code, reason, wasClean, initiator, route, messagesIn, messagesOut, bytesIn, bytesOut };
}

test('server close(): initiator server, code and reason as sent, messages and bytes both ways', async () => {
  const connection = nextConnection(wss);
  const client = await openClient(url('/chat/42?token=secret'));
  const { socket } = await connection;
  const received = messages(socket, 2);
  client.send('hello');
  client.send(Buffer.from([1, 2, 3]));
  await received;
  const echoed = messages(client, 3);
  socket.send('héllo');
  socket.send(Buffer.alloc(10), { binary: true });
  socket.send('ab', { fin: false });
  socket.send('cd', { fin: true });
  await echoed;
  const startedAt = Date.now();
  const serverClosed = closed(socket);
  const clientClosed = closed(client);
  socket.close(1000, 'done');
  socket.send('after close is not sent', () => {});
  assert.deepEqual(await clientClosed, { code: 1000, reason: 'done' });
  await serverClosed;
  const event = await reportedEvent();
  assert.deepEqual(pick(event), {
    code: 1000, reason: 'done', wasClean: true, initiator: 'server', route: '/chat/:id',
    messagesIn: 2, messagesOut: 3, bytesIn: 8, bytesOut: 20,
  });
  assert.ok(event.ts >= startedAt && event.ts <= Date.now());
});

test('client close(code, reason): initiator client', async () => {
  const connection = nextConnection(wss);
  const client = await openClient(url('/feed'));
  const { socket } = await connection;
  const serverClosed = closed(socket);
  client.close(1001, 'navigating away');
  assert.deepEqual(await serverClosed, { code: 1001, reason: 'navigating away' });
  assert.deepEqual(pick(await reportedEvent()), {
    code: 1001, reason: 'navigating away', wasClean: true, initiator: 'client', route: '/feed',
    messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0,
  });
});

test('client close() without a code: 1005 as ws reports it', async () => {
  const connection = nextConnection(wss);
  const client = await openClient(url('/'));
  const { socket } = await connection;
  const serverClosed = closed(socket);
  client.close();
  assert.deepEqual(await serverClosed, { code: 1005, reason: '' });
  assert.deepEqual(pick(await reportedEvent()), {
    code: 1005, reason: '', wasClean: true, initiator: 'client', route: '/',
    messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0,
  });
});

test('server terminate(): 1006, not clean, initiator server (it tore the connection down)', async () => {
  const connection = nextConnection(wss);
  const client = await openClient(url('/t'));
  const { socket } = await connection;
  const serverClosed = closed(socket);
  const clientClosed = closed(client);
  socket.terminate();
  assert.equal((await serverClosed).code, 1006);
  assert.equal((await clientClosed).code, 1006);
  assert.deepEqual(pick(await reportedEvent()), {
    code: 1006, reason: '', wasClean: false, initiator: 'server', route: '/t',
    messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0,
  });
});

test('client terminate(): 1006, not clean, initiator unknown', async () => {
  const connection = nextConnection(wss);
  const client = await openClient(url('/t'));
  const { socket } = await connection;
  const serverClosed = closed(socket);
  client.terminate();
  assert.equal((await serverClosed).code, 1006);
  assert.deepEqual(pick(await reportedEvent()), {
    code: 1006, reason: '', wasClean: false, initiator: 'unknown', route: '/t',
    messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0,
  });
});

test('client TCP socket destroyed mid-connection: 1006, initiator unknown', async () => {
  const connection = nextConnection(wss);
  const raw = await rawUpgrade(server.port, '/raw');
  const { socket } = await connection;
  const serverClosed = closed(socket);
  raw.write(maskedFrame(0x1, Buffer.from('hi')));
  await messages(socket, 1);
  raw.destroy();
  assert.equal((await serverClosed).code, 1006);
  assert.deepEqual(pick(await reportedEvent()), {
    code: 1006, reason: '', wasClean: false, initiator: 'unknown', route: '/raw',
    messagesIn: 1, messagesOut: 0, bytesIn: 2, bytesOut: 0,
  });
});

test('oversized message: 1009 sent by ws (maxPayload), one event, initiator server', async () => {
  const connection = nextConnection(wss);
  const client = await openClient(url('/upload'));
  const { socket } = await connection;
  const serverError = once(socket, 'error');
  const serverClosed = closed(socket);
  const clientClosed = closed(client);
  client.send('x'.repeat(100));
  const [error] = (await serverError) as [Error & { code: string }];
  assert.equal(error.code, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
  assert.equal((await clientClosed).code, 1009);
  assert.equal((await serverClosed).code, 1006, 'ws itself reports 1006 here');
  assert.deepEqual(pick(await reportedEvent()), {
    code: 1009, reason: '', wasClean: false, initiator: 'server', route: '/upload',
    messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0,
  });
});

test('protocol violation (reserved opcode): 1002, one event', async () => {
  const connection = nextConnection(wss);
  const raw = await rawUpgrade(server.port, '/proto');
  const { socket } = await connection;
  const serverError = once(socket, 'error');
  const serverClosed = closed(socket);
  const frames: Buffer[] = [];
  raw.on('data', (chunk: Buffer) => frames.push(chunk));
  const rawClosed = once(raw, 'close');
  raw.write(maskedFrame(0x3, Buffer.alloc(0)));
  const [error] = (await serverError) as [Error & { code: string }];
  assert.equal(error.code, 'WS_ERR_INVALID_OPCODE');
  await serverClosed;
  await rawClosed;
  // The close frame ws sent: opcode 8, status 1002.
  assert.deepEqual([...Buffer.concat(frames).subarray(0, 4)], [0x88, 0x02, 0x03, 0xea]);
  assert.deepEqual(pick(await reportedEvent()), {
    code: 1002, reason: '', wasClean: false, initiator: 'server', route: '/proto',
    messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0,
  });
});

test('invalid UTF-8 in a text message: 1007', async () => {
  const connection = nextConnection(wss);
  const raw = await rawUpgrade(server.port, '/utf8');
  const { socket } = await connection;
  const serverClosed = closed(socket);
  raw.write(maskedFrame(0x1, Buffer.from([0xff, 0xfe])));
  await serverClosed;
  raw.destroy();
  assert.deepEqual(pick(await reportedEvent()), {
    code: 1007, reason: '', wasClean: false, initiator: 'server', route: '/utf8',
    messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0,
  });
});

test('custom 4xxx code with a reason', async () => {
  const connection = nextConnection(wss);
  const client = await openClient(url('/admin'));
  const { socket } = await connection;
  const clientClosed = closed(client);
  const serverClosed = closed(socket);
  socket.close(4403, 'user 8812 banned');
  assert.deepEqual(await clientClosed, { code: 4403, reason: 'user 8812 banned' });
  await serverClosed;
  assert.deepEqual(pick(await reportedEvent()), {
    code: 4403, reason: 'user 8812 banned', wasClean: true, initiator: 'server', route: '/admin',
    messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0,
  });
});

test('peer close frame with a code, over raw TCP: initiator client', async () => {
  const connection = nextConnection(wss);
  const raw = await rawUpgrade(server.port, '/bye');
  const { socket } = await connection;
  const serverClosed = closed(socket);
  raw.write(maskedFrame(0x8, Buffer.concat([Buffer.from([0x0f, 0xa0]), Buffer.from('bye')])));
  assert.deepEqual(await serverClosed, { code: 4000, reason: 'bye' });
  raw.destroy();
  assert.deepEqual(pick(await reportedEvent()), {
    code: 4000, reason: 'bye', wasClean: true, initiator: 'client', route: '/bye',
    messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0,
  });
});

test('every connection above produced exactly one event and no error', async () => {
  await stop.flush();
  const ids = sink.events.map((event) => event.id);
  assert.equal(ids.length, 11);
  assert.equal(new Set(ids).size, 11);
  assert.deepEqual(errors, []);
  // One flush, hence one request, per test above.
  assert.deepEqual(stop.client.stats(), { queued: 0, inFlight: 0, delivered: 11, failed: 0, dropped: 0, requests: 11 });
});

/**
 * The browser SDK's logic, run in Node against a real ws server on loopback. The `ws`
 * client stands in for the DOM WebSocket: same addEventListener/close/send API and
 * CloseEvent fields (code, reason, wasClean).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import {
  createClient,
  createObservedWebSocket,
  observe,
  type BrowserOptions,
  type ClosewatchError,
  type ClosewatchEvent,
  type FetchLike,
  type ObservableWebSocket,
  type RequestInitLike,
  type WebSocketConstructor,
} from '../../src/browser/index.js';
import { FakeCollector } from '../helpers/fake-collector.js';
import { closed, nextConnection, startWss } from '../helpers/ws.js';

let sink: FakeCollector;
let server: Awaited<ReturnType<typeof startWss>>;
before(async () => {
  sink = await FakeCollector.start();
  server = await startWss();
});
after(async () => {
  await server.stop();
  await sink.close();
});

const url = (path: string): string => `ws://127.0.0.1:${server.port}${path}`;
const asBrowser = (socket: WebSocket): ObservableWebSocket => socket as unknown as ObservableWebSocket;

function browserSocket(address: string): WebSocket {
  const socket = new WebSocket(address);
  socket.binaryType = 'arraybuffer';
  socket.on('error', () => {});
  return socket;
}

function options(service: string, extra: Partial<BrowserOptions> = {}): BrowserOptions {
  return { apiKey: 'cw_browser', collectorUrl: sink.url, service, flushIntervalMs: 60_000, ...extra };
}

async function onlyEvent(service: string): Promise<ClosewatchEvent> {
  const events = sink.events.filter((e) => e.service === service);
  assert.equal(events.length, 1, `expected one event for ${service}, got ${events.length}`);
  return events[0] as ClosewatchEvent;
}

function pick(event: ClosewatchEvent): Partial<ClosewatchEvent> {
  const { code, reason, wasClean, initiator, route, instance, messagesIn, messagesOut, bytesIn, bytesOut, labels } = event;
  return { code, reason, wasClean, initiator, route, instance, messagesIn, messagesOut, bytesIn, bytesOut, labels };
}

test('page code calls close(): initiator client, messages and bytes both ways, route = socket URL path', async () => {
  const connection = nextConnection(server.wss);
  const socket = browserSocket(url('/live/feed?token=t'));
  const handle = observe(asBrowser(socket), options('page-close', { labels: { app: 'dash' } }));
  await once(socket, 'open');
  const { socket: peer } = await connection;
  const got = new Promise<void>((done) => {
    let n = 0;
    peer.on('message', () => ++n === 2 && done());
  });
  socket.send('héllo');
  socket.send(new Uint8Array(4));
  await got;
  const incoming = new Promise<void>((done) => {
    let n = 0;
    socket.addEventListener('message', () => ++n === 2 && done());
  });
  peer.send('abc');
  peer.send(Buffer.alloc(5), { binary: true });
  await incoming;
  const peerClosed = closed(peer);
  socket.close(1000, 'bye');
  socket.send('after close is not counted');
  await peerClosed;
  await once(socket, 'close');
  await handle.flush();
  const event = await onlyEvent('page-close');
  assert.deepEqual(pick(event), {
    code: 1000, reason: 'bye', wasClean: true, initiator: 'client', route: '/live/feed', instance: 'browser',
    messagesIn: 2, messagesOut: 2, bytesIn: 8, bytesOut: 10, labels: { app: 'dash' },
  });
  assert.ok(event.durationMs >= 0 && Number.isInteger(event.durationMs));
  assert.equal(sink.requests.at(-1)?.body.meta.sdk, 'closewatch-browser/0.1.0');
  assert.deepEqual(handle.client.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0, requests: 1 });
  await handle.close();
});

test('server closes with a code: initiator server', async () => {
  const connection = nextConnection(server.wss);
  const socket = browserSocket(url('/s'));
  const handle = observe(asBrowser(socket), options('server-close'));
  const { socket: peer } = await connection;
  await once(socket, 'open');
  peer.close(4000, 'kicked');
  await once(socket, 'close');
  await handle.flush();
  assert.deepEqual(pick(await onlyEvent('server-close')), {
    code: 4000, reason: 'kicked', wasClean: true, initiator: 'server', route: '/s', instance: 'browser',
    messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, labels: {},
  });
  await handle.close();
});

test('the default route is the socket URL path with ids as :id, as in Node; a route option wins', async () => {
  const connection = nextConnection(server.wss);
  const socket = browserSocket(url('/rooms/123/chat/3f2b9c1e-8a4d-4f6b-9c2e-1a2b3c4d5e6f?token=abc'));
  const handle = observe(asBrowser(socket), options('route-ids'));
  const { socket: peer } = await connection;
  await once(socket, 'open');
  const connection2 = nextConnection(server.wss);
  const socket2 = browserSocket(url('/rooms/456'));
  const handle2 = observe(asBrowser(socket2), options('route-option', { route: '/rooms/456' }));
  const { socket: peer2 } = await connection2;
  await once(socket2, 'open');
  peer.close(1000);
  peer2.close(1000);
  await Promise.all([once(socket, 'close'), once(socket2, 'close')]);
  await handle.flush();
  await handle2.flush();
  assert.equal((await onlyEvent('route-ids')).route, '/rooms/:id/chat/:id');
  assert.equal((await onlyEvent('route-option')).route, '/rooms/456');
  await handle.close();
  await handle2.close();
});

test('connection dropped without a close frame: 1006, not clean, initiator unknown', async () => {
  const connection = nextConnection(server.wss);
  const socket = browserSocket(url('/drop'));
  const handle = observe(asBrowser(socket), options('dropped'));
  const { socket: peer } = await connection;
  await once(socket, 'open');
  peer.terminate();
  await once(socket, 'close');
  await handle.flush();
  const event = await onlyEvent('dropped');
  assert.deepEqual([event.code, event.wasClean, event.initiator], [1006, false, 'unknown']);
  await handle.close();
});

test('a socket that never opens (connection reset) is reported with a 0 ms lifetime', async () => {
  // A server that resets every connection: unlike a closed port, nobody else can take it.
  const down = await FakeCollector.start();
  down.goOffline();
  const socket = browserSocket(down.url.replace('http', 'ws') + '/nothing');
  const handle = observe(asBrowser(socket), options('never-opened'));
  assert.deepEqual(await closed(socket), { code: 1006, reason: '' });
  assert.equal(down.resets, 1);
  await handle.flush();
  const event = await onlyEvent('never-opened');
  assert.deepEqual([event.code, event.wasClean, event.initiator, event.durationMs, event.route], [1006, false, 'unknown', 0, '/nothing']);
  await handle.close();
  await down.close();
});

test('close() while CONNECTING counts as the page closing', async () => {
  const socket = browserSocket(url('/early'));
  const handle = observe(asBrowser(socket), options('early'));
  const socketClosed = closed(socket);
  socket.close();
  await socketClosed;
  await handle.flush();
  const event = await onlyEvent('early');
  assert.deepEqual([event.code, event.initiator, event.durationMs], [1006, 'client', 0]);
  await handle.close();
});

test('createObservedWebSocket: a drop-in subclass whose instances are all observed', async () => {
  const client = createClient(options('subclass'));
  // ws's class is API-compatible but its listener types are not the DOM's.
  const Observed = createObservedWebSocket(client, WebSocket as unknown as WebSocketConstructor) as unknown as typeof WebSocket;
  assert.equal(Observed.OPEN, 1);
  assert.equal(Observed.name, 'ObservedWebSocket');
  const connection = nextConnection(server.wss);
  const socket = new Observed(url('/sub'));
  socket.on('error', () => {});
  assert.ok(socket instanceof WebSocket);
  const { socket: peer } = await connection;
  await once(socket, 'open');
  const peerClosed = closed(peer);
  socket.close(1000);
  await peerClosed;
  await once(socket, 'close');
  await client.flush();
  const event = await onlyEvent('subclass');
  assert.deepEqual([event.code, event.initiator, event.route], [1000, 'client', '/sub']);
  await client.close();
});

test('requests use keepalive fetch with the bearer key and JSON body', async () => {
  const inits: RequestInitLike[] = [];
  const recording: FetchLike = (input, init) => {
    inits.push(init);
    return fetch(input, init);
  };
  const connection = nextConnection(server.wss);
  const socket = browserSocket(url('/k'));
  const handle = observe(asBrowser(socket), options('keepalive', { fetch: recording }));
  const { socket: peer } = await connection;
  await once(socket, 'open');
  peer.close(1000);
  await once(socket, 'close');
  await handle.flush();
  assert.equal(inits.length, 1);
  assert.equal(inits[0]?.keepalive, true);
  assert.equal(inits[0]?.method, 'POST');
  assert.deepEqual(inits[0]?.headers, { 'content-type': 'application/json', authorization: 'Bearer cw_browser' });
  await handle.close();
});

test('page hide sends the queue at once; listeners go away with close()', async () => {
  const page = globalThis as unknown as Record<string, unknown>;
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  page['window'] = win;
  page['document'] = doc;
  try {
    const client = createClient(options('hidden'));
    for (const [index, event] of ['pagehide', 'visibilitychange'].entries()) {
      const connection = nextConnection(server.wss);
      const socket = browserSocket(url(`/hide/${event}`));
      client.observe(asBrowser(socket));
      const { socket: peer } = await connection;
      await once(socket, 'open');
      peer.close(1001);
      await once(socket, 'close');
      assert.deepEqual(client.stats(), { queued: 1, inFlight: 0, delivered: index, failed: 0, dropped: 0, requests: index });
      // flushIntervalMs is a minute: within waitForEvents' 5 s only the page hide can have sent it.
      const arrived = sink.waitForEvents(sink.events.length + 1);
      if (event === 'visibilitychange') doc.visibilityState = 'hidden';
      (event === 'pagehide' ? win : doc).dispatchEvent(new Event(event));
      // sendAllNow() starts the request synchronously.
      assert.deepEqual(client.stats(), { queued: 0, inFlight: 1, delivered: index, failed: 0, dropped: 0, requests: index + 1 });
      await arrived;
      await client.flush();
    }
    assert.deepEqual(sink.events.filter((e) => e.service === 'hidden').map((e) => e.route), ['/hide/pagehide', '/hide/visibilitychange']);
    await client.close();
    const closedStats = { queued: 0, inFlight: 0, delivered: 2, failed: 0, dropped: 0, requests: 2 };
    assert.deepEqual(client.stats(), closedStats);
    // No listener left: a page hide after close() starts no request (requests are counted as they start).
    win.dispatchEvent(new Event('pagehide'));
    doc.dispatchEvent(new Event('visibilitychange'));
    assert.deepEqual(client.stats(), closedStats);
  } finally {
    delete page['window'];
    delete page['document'];
  }
});

test('stop observing: listeners removed, methods restored, nothing reported', async () => {
  const connection = nextConnection(server.wss);
  const socket = browserSocket(url('/stop'));
  const before = ['open', 'message', 'close'].map((name) => socket.listenerCount(name));
  const handle = observe(asBrowser(socket), options('stopped'));
  assert.equal(Object.hasOwn(socket, 'close'), true);
  handle();
  assert.deepEqual(['open', 'message', 'close'].map((name) => socket.listenerCount(name)), before);
  assert.equal(Object.hasOwn(socket, 'close'), false);
  assert.equal(Object.hasOwn(socket, 'send'), false);
  const { socket: peer } = await connection;
  peer.close(1000);
  await once(socket, 'close');
  await handle.flush();
  assert.equal(sink.events.filter((e) => e.service === 'stopped').length, 0);
  await handle.close();
});

test('options are validated with TypeErrors; onError receives route hook failures', async () => {
  assert.throws(() => createClient({} as BrowserOptions), { name: 'TypeError', message: 'closewatch: option "apiKey" is required (a browser ingest key)' });
  assert.throws(() => createClient({ apiKey: 'k', sampleRate: -1 }), { name: 'TypeError', message: 'closewatch: option "sampleRate" must be a number from 0 to 1, got -1' });
  assert.throws(() => createClient({ apiKey: 'k', route: 5 as unknown as string }), { name: 'TypeError', message: 'closewatch: option "route" must be a non-empty string of at most 512 characters, got 5' });
  assert.throws(() => createClient({ apiKey: 'k', captureRemoteAddress: true } as BrowserOptions), { name: 'TypeError', message: 'closewatch: unknown option "captureRemoteAddress" in options' });
  assert.throws(() => observe({} as ObservableWebSocket, { apiKey: 'k' }), { name: 'TypeError', message: 'closewatch: observe() needs a WebSocket as first argument' });
  assert.throws(() => createClient({ apiKey: 'k', labels: { 'a b': 'x' } }), {
    name: 'TypeError',
    message: 'closewatch: option "labels" must be a map of labels (label key "a b" is not allowed; keys are 1-64 characters of A-Z a-z 0-9 _ . : -, not __proto__), got an object',
  });
  const errors: ClosewatchError[] = [];
  const client = createClient(options('hook', { route: () => { throw new Error('nope'); }, onError: (e) => errors.push(e) }));
  const socket = browserSocket(url('/hooked'));
  client.observe(asBrowser(socket));
  assert.deepEqual(errors.map((e) => [e.kind, e.message]), [['hook_failed', 'closewatch: the route option threw; the socket URL path was used']]);
  const socketClosed = closed(socket);
  socket.close();
  await socketClosed;
  await client.close();
  assert.equal((await onlyEvent('hook')).route, '/hooked');
});

test('the browser entry imports no Node module, directly or through shared files', () => {
  // Every file the browser bundle is made of; a new one joins this list knowingly.
  const expected = [
    'browser/client-identity.ts', 'browser/client.ts', 'browser/index.ts', 'browser/observed-websocket.ts', 'browser/options.ts',
    'browser/page-lifecycle.ts', 'browser/reconnect-memory.ts', 'browser/session-storage.ts', 'browser/socket-observer.ts',
    'byte-length.ts', 'default-route.ts', 'delivery/backoff.ts', 'delivery/bounded-queue.ts', 'delivery/delivery.ts',
    'delivery/post-batch.ts', 'errors.ts', 'event-id.ts', 'event-limits.ts', 'event.ts', 'timers.ts', 'user-agent-family.ts',
    'validate.ts', 'version.ts', 'ws-internals.ts',
  ];
  const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^(?:import|export)\s[^'"]*from\s+'([^']+)'/gm)) {
      const specifier = match[1] as string;
      assert.ok(specifier.startsWith('.'), `${file.slice(srcDir.length)} imports ${specifier}`);
      visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
    assert.doesNotMatch(source, /\b(?:Buffer|process|require)\b[.(]/, `${file.slice(srcDir.length)} uses a Node global`);
  };
  visit(join(srcDir, 'browser/index.ts'));
  assert.deepEqual([...seen].map((file) => relative(srcDir, file).split(sep).join('/')).sort(), expected);
});

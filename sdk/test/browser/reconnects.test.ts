/**
 * The browser SDK's clientKey, clientAgent and reconnect fields. The storage parts run
 * against a Map-backed Web Storage (Node has no sessionStorage), the socket parts
 * against a real ws server on loopback, with the `ws` client standing in for the DOM
 * WebSocket as in observe.test.ts.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { observe, type BrowserOptions, type ClosewatchEvent, type ObservableWebSocket } from '../../src/browser/index.js';
import { CLIENT_KEY_STORAGE_KEY, tabClientKey } from '../../src/browser/client-identity.js';
import { LAST_CLOSES_STORAGE_KEY, ReconnectMemory } from '../../src/browser/reconnect-memory.js';
import { SessionValue, type StorageLike } from '../../src/browser/session-storage.js';
import { FakeCollector } from '../helpers/fake-collector.js';
import { closed, nextConnection, startWss } from '../helpers/ws.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Web Storage over a Map: what sessionStorage keeps across a reload of the tab. */
class MapStorage implements StorageLike {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

/** Storage that refuses every access, as in a sandboxed iframe or with site data blocked. */
class RefusingStorage implements StorageLike {
  getItem(): string | null {
    throw new Error('SecurityError: access denied');
  }
  setItem(): void {
    throw new Error('QuotaExceededError');
  }
}

test('the tab clientKey: 16 random hex characters in sessionStorage, the same after a reload, another in another tab', () => {
  const tab = new MapStorage();
  const key = tabClientKey(new SessionValue(tab, CLIENT_KEY_STORAGE_KEY));
  assert.match(key, /^[0-9a-f]{16}$/);
  assert.deepEqual([...tab.items], [['closewatch.clientKey', key]]);
  // A reload: a new page (new SessionValue) over the same tab storage.
  assert.equal(tabClientKey(new SessionValue(tab, CLIENT_KEY_STORAGE_KEY)), key);
  assert.notEqual(tabClientKey(new SessionValue(new MapStorage(), CLIENT_KEY_STORAGE_KEY)), key);
  // Something else under our key is replaced by a key of ours.
  tab.setItem(CLIENT_KEY_STORAGE_KEY, 'not a key');
  const replaced = tabClientKey(new SessionValue(tab, CLIENT_KEY_STORAGE_KEY));
  assert.match(replaced, /^[0-9a-f]{16}$/);
  assert.equal(tab.getItem(CLIENT_KEY_STORAGE_KEY), replaced);
  // No storage, or storage that refuses: in memory, stable for the page.
  for (const storage of [undefined, new RefusingStorage()]) {
    const value = new SessionValue(storage, CLIENT_KEY_STORAGE_KEY);
    const inMemory = tabClientKey(value);
    assert.match(inMemory, /^[0-9a-f]{16}$/);
    assert.equal(tabClientKey(value), inMemory);
  }
});

test('ReconnectMemory: the last close per route, used once, within 10 minutes, kept across a reload', () => {
  const tab = new MapStorage();
  const memory = new ReconnectMemory(new SessionValue(tab, LAST_CLOSES_STORAGE_KEY));
  memory.noteClose('chat\n/ws', 1012, 1_000_000);
  memory.noteClose('feed\n/live', null, 1_000_500);
  assert.equal(memory.take('chat\n/other', 1_000_600), undefined);
  assert.deepEqual(memory.take('chat\n/ws', 1_007_300), { previousCode: 1012, reconnectDelayMs: 7300 });
  assert.equal(memory.take('chat\n/ws', 1_007_400), undefined, 'one close, one reconnect');
  // A reload: the next page finds the close the previous page remembered.
  const reloaded = new ReconnectMemory(new SessionValue(tab, LAST_CLOSES_STORAGE_KEY));
  assert.deepEqual(reloaded.take('feed\n/live', 1_000_500), { previousCode: null, reconnectDelayMs: 0 });
  // 10 minutes is the limit, inclusive; a clock set back gives nothing.
  memory.noteClose('chat\n/ws', 1013, 2_000_000);
  assert.deepEqual(memory.take('chat\n/ws', 2_600_000), { previousCode: 1013, reconnectDelayMs: 600_000 });
  memory.noteClose('chat\n/ws', 1013, 2_000_000);
  assert.equal(memory.take('chat\n/ws', 2_600_001), undefined);
  memory.noteClose('chat\n/ws', 1001, 3_000_000);
  assert.equal(memory.take('chat\n/ws', 2_999_999), undefined);
  // A later close replaces an earlier one of the same route.
  memory.noteClose('chat\n/ws', 1001, 4_000_000);
  memory.noteClose('chat\n/ws', 1012, 4_000_100);
  assert.deepEqual(memory.take('chat\n/ws', 4_000_200), { previousCode: 1012, reconnectDelayMs: 100 });
  assert.equal(tab.getItem(LAST_CLOSES_STORAGE_KEY), '{}');
});

test('ReconnectMemory: bounded to 64 routes and to the last 10 minutes; corrupt or refused storage is survived', () => {
  const tab = new MapStorage();
  const memory = new ReconnectMemory(new SessionValue(tab, LAST_CLOSES_STORAGE_KEY));
  memory.noteClose('old\n/r', 1012, 0);
  for (let i = 0; i < 70; i++) memory.noteClose(`s\n/r${i}`, 1012, 700_000 + i);
  const kept = Object.keys(JSON.parse(tab.getItem(LAST_CLOSES_STORAGE_KEY) ?? '{}') as object);
  assert.equal(kept.length, 64);
  assert.deepEqual([kept[0], kept.at(-1)], ['s\n/r6', 's\n/r69']);
  assert.equal(memory.take('s\n/r5', 700_010), undefined);
  assert.deepEqual(memory.take('s\n/r6', 700_010), { previousCode: 1012, reconnectDelayMs: 4 });
  tab.setItem(LAST_CLOSES_STORAGE_KEY, '{"s\\n/x": "garbage", "__proto__": [1, 2]');
  assert.equal(memory.take('s\n/x', 1), undefined);
  tab.setItem(LAST_CLOSES_STORAGE_KEY, '{"s\\n/x": ["garbage"], "s\\n/y": [5, "1012"]}');
  assert.equal(memory.take('s\n/x', 10), undefined);
  assert.deepEqual(memory.take('s\n/y', 10), { previousCode: null, reconnectDelayMs: 5 });
  const refused = new ReconnectMemory(new SessionValue(new RefusingStorage(), LAST_CLOSES_STORAGE_KEY));
  refused.noteClose('s\n/r', 1012, 100);
  assert.deepEqual(refused.take('s\n/r', 350), { previousCode: 1012, reconnectDelayMs: 250 });
});

let sink: FakeCollector;
let server: Awaited<ReturnType<typeof startWss>>;
const navigatorBefore = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
before(async () => {
  // The page's user agent; Node 21+ has a navigator of its own, Node 20 none.
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: CHROME }, configurable: true, writable: true });
  sink = await FakeCollector.start();
  server = await startWss();
});
after(async () => {
  if (navigatorBefore === undefined) delete (globalThis as { navigator?: unknown }).navigator;
  else Object.defineProperty(globalThis, 'navigator', navigatorBefore);
  await server.stop();
  await sink.close();
});

const url = (path: string): string => `ws://127.0.0.1:${server.port}${path}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function browserSocket(address: string): WebSocket {
  const socket = new WebSocket(address);
  socket.on('error', () => {});
  return socket;
}

// A new options object per socket, as pages often do: a client per socket, and the
// reconnect must still be found (the memory is the page's, not the client's).
function options(service: string): BrowserOptions {
  return { apiKey: 'cw_browser', collectorUrl: sink.url, service, flushIntervalMs: 60_000 };
}

async function eventsOf(service: string, count: number): Promise<ClosewatchEvent[]> {
  const events = sink.events.filter((e) => e.service === service);
  assert.equal(events.length, count, `expected ${count} events for ${service}, got ${events.length}`);
  return events;
}

/** Opens an observed socket to `path`, returns it with its server side, after 'open'. */
async function openObserved(path: string, service: string) {
  const connection = nextConnection(server.wss);
  const socket = browserSocket(url(path));
  const handle = observe(socket as unknown as ObservableWebSocket, options(service));
  const { socket: peer } = await connection;
  await once(socket, 'open');
  return { socket, peer, handle, openedBy: Date.now() };
}

test('a socket opened after the server closed the previous one with 1012 reports previousCode and reconnectDelayMs', async () => {
  const first = await openObserved('/rooms/1', 'reconnect');
  const closingAt = Date.now();
  first.peer.close(1012, 'service restart');
  await once(first.socket, 'close');
  const closedBy = Date.now();
  await sleep(120);
  const reconnectingAt = Date.now();
  const second = await openObserved('/rooms/2', 'reconnect');
  second.socket.close(1000);
  await once(second.socket, 'close');
  await first.handle.close();
  await second.handle.close();
  const [closeEvent, reconnectEvent] = (await eventsOf('reconnect', 2)) as [ClosewatchEvent, ClosewatchEvent];
  assert.equal(closeEvent.code, 1012);
  assert.equal(Object.hasOwn(closeEvent, 'previousCode'), false);
  assert.equal(Object.hasOwn(closeEvent, 'reconnectDelayMs'), false);
  // Same route (/rooms/:id), same service: a reconnect.
  assert.equal(reconnectEvent.route, '/rooms/:id');
  assert.equal(reconnectEvent.previousCode, 1012);
  const delay = reconnectEvent.reconnectDelayMs as number;
  assert.ok(Number.isInteger(delay));
  // The SDK took its times inside these (its listeners run before the test's).
  assert.ok(delay >= reconnectingAt - closedBy && delay <= second.openedBy - closingAt, `delay ${delay} outside [${reconnectingAt - closedBy}, ${second.openedBy - closingAt}]`);
  // One tab, one key, whatever the client; the page's user agent as a family.
  assert.match(closeEvent.clientKey ?? '', /^[0-9a-f]{16}$/);
  assert.equal(reconnectEvent.clientKey, closeEvent.clientKey);
  assert.deepEqual([closeEvent.clientAgent, reconnectEvent.clientAgent], ['Chrome 131', 'Chrome 131']);
});

test('failed attempts in between neither carry nor replace the close: the socket that opens reports the 1012 and the whole wait', async () => {
  const first = await openObserved('/feed', 'attempts');
  const closingAt = Date.now();
  first.peer.close(1012);
  await once(first.socket, 'close');
  // An attempt refused on the way (a server that resets every connection, same path).
  const down = await FakeCollector.start();
  down.goOffline();
  const attempt = browserSocket(`${down.url.replace('http', 'ws')}/feed`);
  const attemptHandle = observe(attempt as unknown as ObservableWebSocket, options('attempts'));
  assert.deepEqual(await closed(attempt), { code: 1006, reason: '' });
  await down.close();
  const second = await openObserved('/feed', 'attempts');
  second.peer.close(1000);
  await once(second.socket, 'close');
  for (const handle of [first.handle, attemptHandle, second.handle]) await handle.close();
  const [, failed, reconnected] = (await eventsOf('attempts', 3)) as [ClosewatchEvent, ClosewatchEvent, ClosewatchEvent];
  assert.deepEqual([failed.code, failed.durationMs, Object.hasOwn(failed, 'previousCode')], [1006, 0, false]);
  assert.equal(reconnected.previousCode, 1012);
  const delay = reconnected.reconnectDelayMs as number;
  assert.ok(delay >= 0 && delay <= second.openedBy - closingAt);
});

test('a first socket, and a socket to another route, are no reconnects', async () => {
  const first = await openObserved('/a', 'fresh');
  first.peer.close(1012);
  await once(first.socket, 'close');
  const other = await openObserved('/b', 'fresh');
  other.socket.close(1000);
  await once(other.socket, 'close');
  await first.handle.close();
  await other.handle.close();
  for (const event of await eventsOf('fresh', 2)) {
    assert.equal(Object.hasOwn(event, 'previousCode'), false);
    assert.equal(Object.hasOwn(event, 'reconnectDelayMs'), false);
  }
});

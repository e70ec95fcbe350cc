/**
 * clientKey and clientAgent of the Node SDK, on real ws servers and clients on loopback
 * (IPv4 and IPv6) delivering to a real HTTP collector stand-in.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import type { ClientOptions } from 'ws';
import { createClient, type ClosewatchError, type ClosewatchEvent, type ClosewatchOptions } from '../src/index.js';
import { hashClientKey } from '../src/client-key.js';
import { clientAddress, trustedProxiesOption, type TrustedProxies } from '../src/trusted-proxies.js';
import { FakeCollector } from './helpers/fake-collector.js';
import { closed, nextConnection, openClient, startWss } from './helpers/ws.js';

const PYTHON = 'Python/3.11 websockets/13.0';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let sink: FakeCollector;
let v4: Awaited<ReturnType<typeof startWss>>;
let v6: Awaited<ReturnType<typeof startWss>>;
before(async () => {
  sink = await FakeCollector.start();
  v4 = await startWss();
  v6 = await startWss({ host: '::1' });
});
after(async () => {
  await v4.stop();
  await v6.stop();
  await sink.close();
});

const sha = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * Opens one connection to `server` with `headers`, closes it from the client and
 * returns the event `options` reported for it, and the server's upgrade request.
 */
async function oneEvent(
  server: typeof v4,
  options: ClosewatchOptions,
  headers: ClientOptions['headers'] = {},
): Promise<{ event: ClosewatchEvent; request: IncomingMessage }> {
  const service = `svc-${Math.random().toString(16).slice(2, 10)}`;
  const client = createClient({ apiKey: 'cw_test', collectorUrl: sink.url, flushIntervalMs: 60_000, ...options, service });
  const remove = client.instrument(server.wss);
  const connection = nextConnection(server.wss);
  const host = server === v6 ? '[::1]' : '127.0.0.1';
  const ws = await openClient(`ws://${host}:${server.port}/r`, { headers });
  const { socket, request } = await connection;
  ws.close(1000);
  await closed(socket);
  remove();
  await client.close();
  const events = sink.events.filter((e) => e.service === service);
  assert.equal(events.length, 1);
  return { event: events[0] as ClosewatchEvent, request };
}

test('the default clientKey is sha256(ingest key + "\\n" + address + "\\n" + user agent), first 16 hex; clientAgent is the family', async () => {
  const { event } = await oneEvent(v4, {}, { 'user-agent': PYTHON });
  // printf 'cw_test\n127.0.0.1\nPython/3.11 websockets/13.0' | sha256sum
  assert.equal(event.clientKey, 'c3262a419eff544d');
  assert.equal(hashClientKey('127.0.0.1', PYTHON, 'cw_test'), 'c3262a419eff544d');
  assert.equal(event.clientAgent, 'Python websockets 13');
  assert.equal(event.remoteAddrHash, undefined, 'the address itself is still only sent when asked for');
  assert.ok(!JSON.stringify(event).includes('127.0.0.1'), 'the raw address is never sent');
});

test('two clients behind one address with different user agents are two keys; one client is one key across instances of a fleet', async () => {
  const python = await oneEvent(v4, {}, { 'user-agent': PYTHON });
  const chrome = await oneEvent(v4, {}, { 'user-agent': CHROME });
  const pythonAgain = await oneEvent(v4, { instance: 'other-instance' }, { 'user-agent': PYTHON });
  assert.equal(chrome.event.clientKey, sha(`cw_test\n127.0.0.1\n${CHROME}`));
  assert.notEqual(python.event.clientKey, chrome.event.clientKey);
  assert.equal(pythonAgain.event.clientKey, python.event.clientKey);
  assert.equal(chrome.event.clientAgent, 'Chrome 131');
  // Another ingest key (another fleet) or an explicit salt gives other keys.
  const otherKey = await oneEvent(v4, { apiKey: 'cw_other' }, { 'user-agent': PYTHON });
  assert.equal(otherKey.event.clientKey, sha(`cw_other\n127.0.0.1\n${PYTHON}`));
  const salted = await oneEvent(v4, { clientKeySalt: 'pepper' }, { 'user-agent': PYTHON });
  assert.equal(salted.event.clientKey, sha(`pepper\n127.0.0.1\n${PYTHON}`));
  // No User-Agent header (the ws client sends none): the address alone, and no clientAgent.
  const bare = await oneEvent(v4, {});
  assert.equal(bare.event.clientKey, sha('cw_test\n127.0.0.1\n'));
  assert.equal(bare.event.clientAgent, undefined);
});

test('X-Forwarded-For is honoured only from trusted proxies: IPv4, CIDR, the right-most untrusted hop', async () => {
  const xff = { 'user-agent': PYTHON, 'x-forwarded-for': '198.51.100.66, 203.0.113.9, 10.1.2.3' };
  const key = (address: string): string => sha(`cw_test\n${address}\n${PYTHON}`);
  // Not trusted (the default): the header is ignored, whatever it says.
  assert.equal((await oneEvent(v4, {}, xff)).event.clientKey, key('127.0.0.1'));
  assert.equal((await oneEvent(v4, { trustedProxies: ['10.0.0.0/8'] }, xff)).event.clientKey, key('127.0.0.1'));
  // The peer is trusted, 10.1.2.3 is not: it is the client (what our proxy saw).
  assert.equal((await oneEvent(v4, { trustedProxies: ['127.0.0.1'] }, xff)).event.clientKey, key('10.1.2.3'));
  // Both trusted: the next hop left; 198.51.100.66 may be made up by the client and is never used.
  assert.equal((await oneEvent(v4, { trustedProxies: ['127.0.0.0/8', '10.0.0.0/8'] }, xff)).event.clientKey, key('203.0.113.9'));
  // A whole chain of trusted proxies: the left-most one.
  const chain = { 'user-agent': PYTHON, 'x-forwarded-for': '10.9.9.9, 10.1.2.3' };
  assert.equal((await oneEvent(v4, { trustedProxies: ['127.0.0.1', '10.0.0.0/8'] }, chain)).event.clientKey, key('10.9.9.9'));
});

test('X-Forwarded-For from trusted IPv6 proxies: exact address and CIDR range, IPv4-mapped hops unmapped', async () => {
  const key = (address: string): string => sha(`cw_test\n${address}\n${PYTHON}`);
  const headers = { 'user-agent': PYTHON, 'x-forwarded-for': '2001:db8::7, fd12:3456::1' };
  assert.equal((await oneEvent(v6, {}, headers)).event.clientKey, key('::1'));
  assert.equal((await oneEvent(v6, { trustedProxies: ['::1'] }, headers)).event.clientKey, key('fd12:3456::1'));
  assert.equal((await oneEvent(v6, { trustedProxies: ['::1', 'fd00::/8'] }, headers)).event.clientKey, key('2001:db8::7'));
  const mapped = { 'user-agent': PYTHON, 'x-forwarded-for': '::ffff:203.0.113.9' };
  assert.equal((await oneEvent(v6, { trustedProxies: ['::1/128'] }, mapped)).event.clientKey, key('203.0.113.9'));
});

test('clientAddress: ports and brackets in hops, repeated headers, a hop that is no address', async () => {
  const trusted = trustedProxiesOption(['127.0.0.1', '10.0.0.0/8', '2001:db8::/32'], 'trustedProxies', undefined);
  /** The client address of a real upgrade request carrying `xff`, read while its socket is open. */
  const addressFor = async (xff: string | string[], proxies: TrustedProxies | undefined = trusted): Promise<string | undefined> => {
    const connection = nextConnection(v4.wss);
    // Node's http client sends an array as repeated headers; ws's types only say string.
    const headers = { 'x-forwarded-for': xff } as unknown as Record<string, string>;
    const ws = await openClient(`ws://127.0.0.1:${v4.port}/`, { headers });
    const { socket, request } = await connection;
    const address = clientAddress(request, proxies);
    ws.close();
    await closed(socket);
    return address;
  };
  assert.equal(await addressFor('203.0.113.9:51234, 10.0.0.2:443'), '203.0.113.9');
  assert.equal(await addressFor('[2001:db9::1]:443, [2001:db8::5]:80'), '2001:db9::1');
  // Repeated headers are one chain (Node joins them with ", "), read from the right.
  assert.equal(await addressFor(['198.51.100.1', '203.0.113.9, 10.0.0.2']), '203.0.113.9');
  // A hop that is not an address stops the walk at the proxy that wrote it.
  assert.equal(await addressFor('203.0.113.9, unknown, 10.0.0.2'), '10.0.0.2');
  assert.equal(await addressFor(' , '), '127.0.0.1');
  // The peer is not a trusted proxy: the peer, whatever the header says. An empty list trusts none.
  assert.equal(await addressFor('203.0.113.9', trustedProxiesOption(['192.0.2.1'], 'trustedProxies', undefined)), '127.0.0.1');
  assert.equal(trustedProxiesOption([], 'trustedProxies', undefined), undefined);
});

test('a clientKey function is sent as it returns; false sends none; unusable returns are reported, never thrown', async () => {
  const errors: ClosewatchError[] = [];
  const onError = (error: ClosewatchError): void => {
    errors.push(error);
  };
  const custom = await oneEvent(v4, { clientKey: (request) => `ios:${String(request.headers['x-user'])}`, onError }, { 'x-user': '1234', 'user-agent': 'okhttp/4.12.0' });
  assert.equal(custom.event.clientKey, 'ios:1234');
  assert.equal(custom.event.clientAgent, 'okhttp 4');
  const none = await oneEvent(v4, { clientKey: false, onError }, { 'user-agent': 'okhttp/4.12.0' });
  assert.equal(Object.hasOwn(none.event, 'clientKey'), false);
  assert.equal(none.event.clientAgent, 'okhttp 4');
  assert.equal(Object.hasOwn((await oneEvent(v4, { clientKey: () => undefined, onError })).event, 'clientKey'), false);
  assert.equal(errors.length, 0);
  for (const bad of [() => 'a\nb', () => 'k'.repeat(129), () => '', () => 42, () => { throw new Error('no session'); }]) {
    const { event } = await oneEvent(v4, { clientKey: bad as () => string, onError });
    assert.equal(Object.hasOwn(event, 'clientKey'), false);
  }
  const rule = 'not a string of 1-128 characters without control characters; the event was sent without a clientKey';
  assert.deepEqual(errors.map((e) => [e.kind, e.message]), [
    ['hook_failed', `closewatch: the clientKey option returned "a\\nb", ${rule}`],
    ['hook_failed', `closewatch: the clientKey option returned "${'k'.repeat(40)}...", ${rule}`],
    ['hook_failed', `closewatch: the clientKey option returned "", ${rule}`],
    ['hook_failed', `closewatch: the clientKey option returned 42, ${rule}`],
    ['hook_failed', 'closewatch: the clientKey option threw; the event was sent without a clientKey'],
  ]);
});

test('invalid clientKey, clientKeySalt and trustedProxies options throw a TypeError naming the option', () => {
  const throwsTypeError = (options: Record<string, unknown>, message: string): void => {
    assert.throws(() => createClient({ apiKey: 'cw_test', ...options } as ClosewatchOptions), (error: unknown) => {
      assert.ok(error instanceof TypeError, `expected TypeError, got ${String(error)}`);
      assert.equal(error.message, message);
      return true;
    });
  };
  const proxies = 'an array of IP addresses and CIDR ranges (such as "10.0.0.0/8" or "fd00::/8")';
  throwsTypeError({ clientKey: true }, 'closewatch: option "clientKey" must be false or a function of the upgrade request, got true');
  throwsTypeError({ clientKey: 'fixed' }, 'closewatch: option "clientKey" must be false or a function of the upgrade request, got "fixed"');
  throwsTypeError({ clientKeySalt: 7 }, 'closewatch: option "clientKeySalt" must be a string');
  throwsTypeError({ trustedProxies: '10.0.0.0/8' }, `closewatch: option "trustedProxies" must be ${proxies}, got "10.0.0.0/8"`);
  throwsTypeError({ trustedProxies: ['10.0.0.1', 'proxy.local'] }, `closewatch: option "trustedProxies" must be ${proxies}; entry 1 is not one, got "proxy.local"`);
  throwsTypeError({ trustedProxies: ['10.0.0.0/33'] }, `closewatch: option "trustedProxies" must be ${proxies}; entry 0 is not one, got "10.0.0.0/33"`);
  throwsTypeError({ trustedProxies: ['fd00::/129'] }, `closewatch: option "trustedProxies" must be ${proxies}; entry 0 is not one, got "fd00::/129"`);
  throwsTypeError({ trustedProxies: ['10.0.0.0/'] }, `closewatch: option "trustedProxies" must be ${proxies}; entry 0 is not one, got "10.0.0.0/"`);
  throwsTypeError({ trustedProxies: ['10.0.0.0/8/8'] }, `closewatch: option "trustedProxies" must be ${proxies}; entry 0 is not one, got "10.0.0.0/8/8"`);
  throwsTypeError({ trustedProxies: [10] }, `closewatch: option "trustedProxies" must be ${proxies}; entry 0 is not one, got 10`);
  // Overrides are checked the same way, at the call.
  const client = createClient({ apiKey: 'cw_test' });
  assert.throws(() => client.instrument(v4.wss, { trustedProxies: ['nope'] }), {
    name: 'TypeError',
    message: `closewatch: option "trustedProxies" must be ${proxies}; entry 0 is not one, got "nope"`,
  });
  void client.close(0);
});

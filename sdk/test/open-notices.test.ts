import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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

function options(extra: Record<string, unknown> = {}) {
  const errors: ClosewatchError[] = [];
  return {
    errors,
    options: {
      apiKey: 'cw_test',
      collectorUrl: sink.url,
      service: 'chat',
      instance: 'opens-1',
      flushIntervalMs: 60_000,
      onError: (error: ClosewatchError) => errors.push(error),
      ...extra,
    },
  };
}

test('a connection that stays open sends exactly one open notice, with its key, open time, service, instance and route', async () => {
  const server = await startWss();
  const { options: opts, errors } = options();
  const stop = instrument(server.wss, opts);
  const before = sink.opens.length;
  const eventsBefore = sink.events.length;
  try {
    const connection = nextConnection(server.wss);
    const openedFrom = Date.now();
    const client = await openClient(`ws://127.0.0.1:${server.port}/rooms/42?token=x`, { headers: { 'user-agent': 'test-agent/1' } });
    await connection;
    const openedTo = Date.now();
    await stop.flush();
    const notices = sink.opens.slice(before);
    assert.equal(notices.length, 1);
    const [notice] = notices;
    assert.ok(notice);
    assert.match(notice.clientKey, /^[0-9a-f]{16}$/);
    assert.ok(notice.openedAt >= openedFrom && notice.openedAt <= openedTo, `openedAt ${notice.openedAt} in [${openedFrom}, ${openedTo}]`);
    assert.equal(notice.service, 'chat');
    assert.equal(notice.instance, 'opens-1');
    assert.equal(notice.route, '/rooms/:id');
    assert.equal(typeof notice.id, 'string');
    assert.equal(sink.opensRequests.at(-1)?.headers.authorization, 'Bearer cw_test');
    assert.equal(sink.events.length, eventsBefore, 'no close event while the connection is open');
    // Its close event carries the same key, and no second notice follows.
    const done = closed(client);
    client.close(1000);
    await done;
    await stop.flush();
    const event = sink.events.at(-1);
    assert.equal(event?.clientKey, notice.clientKey);
    assert.equal(sink.opens.length - before, 1);
    assert.deepEqual(errors, []);
  } finally {
    await stop.close();
    await server.stop();
  }
});

test('a connection that closes before the notice was sent sends none: its close event says when it opened', async () => {
  const server = await startWss();
  const { options: opts, errors } = options();
  const stop = instrument(server.wss, opts);
  const before = sink.opens.length;
  const requestsBefore = sink.opensRequests.length;
  const eventsBefore = sink.events.length;
  try {
    const connection = nextConnection(server.wss);
    const client = await openClient(`ws://127.0.0.1:${server.port}/ws`);
    const { socket } = await connection;
    const done = closed(socket);
    client.close(1000);
    await done;
    await stop.flush();
    assert.equal(sink.opens.length - before, 0);
    assert.equal(sink.opensRequests.length - requestsBefore, 0, 'no request at all');
    assert.equal(sink.events.length - eventsBefore, 1);
    assert.equal(stop.client.openStats()?.queued, 0);
    assert.deepEqual(errors, []);
  } finally {
    await stop.close();
    await server.stop();
  }
});

test('reportOpens: false sends no notice; connections without a client key send none', async () => {
  for (const extra of [{ reportOpens: false }, { clientKey: false }]) {
    const server = await startWss();
    const { options: opts, errors } = options(extra);
    const stop = instrument(server.wss, opts);
    const requestsBefore = sink.opensRequests.length;
    try {
      const connection = nextConnection(server.wss);
      const client = await openClient(`ws://127.0.0.1:${server.port}/ws`);
      await connection;
      await stop.flush();
      assert.equal(sink.opensRequests.length - requestsBefore, 0, JSON.stringify(extra));
      assert.equal(stop.client.openStats() === undefined, 'reportOpens' in extra);
      client.terminate();
      assert.deepEqual(errors, []);
    } finally {
      await stop.close();
      await server.stop();
    }
  }
});

test('a notice the collector could not take is retried, and arrives once', async () => {
  const server = await startWss();
  const { options: opts } = options({ retryBaseDelayMs: 20, retryMaxDelayMs: 40, flushIntervalMs: 10 });
  const stop = instrument(server.wss, opts);
  const before = sink.opens.length;
  const requestsBefore = sink.opensRequests.length;
  sink.opensStatus = 503;
  try {
    const connection = nextConnection(server.wss);
    const client = await openClient(`ws://127.0.0.1:${server.port}/ws`);
    await connection;
    while (sink.opensRequests.length - requestsBefore < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    sink.opensStatus = 200;
    await sink.waitForOpens(before + 1);
    const sent = sink.opensRequests.slice(requestsBefore);
    assert.ok(sent.length >= 2);
    // Every attempt carried the same notice (same id): the collector stores it once.
    assert.equal(new Set(sent.map((r) => r.body.opens[0]?.id)).size, 1);
    assert.equal(sink.opens.length - before, 1);
    client.terminate();
  } finally {
    sink.opensStatus = 200;
    await stop.close();
    await server.stop();
  }
});

test('reportOpens must be a boolean', () => {
  assert.throws(() => createClient({ apiKey: 'cw_test', reportOpens: 'yes' as unknown as boolean }), (error: unknown) => {
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /reportOpens/);
    return true;
  });
});

import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { LIVE_MAX_EVENTS_PER_TICK } from '../../../src/query/live-hub.js';
import type { LiveTick } from '../../../src/query/schemas.js';
import { makeEvent } from '../../helpers/events.js';
import { storedEvent } from '../../helpers/stored-event.js';
import { startTestApp, TEST_READ_TOKEN, type TestApp } from '../../helpers/test-app.js';

const TICK_MS = 100;

interface Message {
  type: string;
  [field: string]: unknown;
}

/** A client that records every message; `until` waits for a condition on them. */
class Client {
  readonly messages: Message[] = [];
  readonly ws: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(url: string) {
    this.ws = new WebSocket(url, { headers: { authorization: `Bearer ${TEST_READ_TOKEN}` } });
    this.ws.on('message', (data: Buffer) => this.messages.push(JSON.parse(data.toString()) as Message));
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  get ticks(): LiveTick[] {
    return this.messages.filter((m): m is Message & LiveTick => m.type === 'tick');
  }

  async until(what: string, ok: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The TCP socket under the WebSocket: pausing it stops reading, like a stalled browser tab. */
  get socket(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket;
  }
}

describe('GET /api/v1/live', () => {
  let t: TestApp;
  let base: string;

  before(async () => {
    t = await startTestApp({ LIVE_TICK_MS: String(TICK_MS) });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = address.replace(/^http/, 'ws');
  });
  after(async () => t.destroy());

  it('says hello, then ticks with exactly what was ingested, filtered per client', async () => {
    const all = new Client(`${base}/api/v1/live`);
    const chat = new Client(`${base}/api/v1/live?service=chat&code=1006,none`);
    await all.until('hello', () => all.messages.length > 0);
    await chat.until('hello', () => chat.messages.length > 0);
    assert.deepEqual({ ...all.messages[0], serverTime: 0 }, { type: 'hello', serverTime: 0, tickMs: TICK_MS });
    await all.until('a first tick', () => all.ticks.length > 0);

    const events = [
      ...Array.from({ length: 12 }, (_, i) => makeEvent({ code: 1000, service: i % 2 ? 'chat' : 'feed' })),
      ...Array.from({ length: 7 }, () => makeEvent({ code: 1006, service: 'chat' })),
      ...Array.from({ length: 3 }, () => makeEvent({ code: null, service: 'chat' })),
      ...Array.from({ length: 4 }, () => makeEvent({ code: 1006, service: 'feed' })),
    ];
    const res = await t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${t.key}` }, payload: { events } });
    assert.equal(res.statusCode, 200, res.body);

    await all.until('the tick with the batch', () => all.ticks.some((k) => k.total > 0));
    const tick = all.ticks.find((k) => k.total > 0) as LiveTick;
    assert.equal(tick.total, 26, 'one committed batch arrives in one tick');
    assert.deepEqual(Object.fromEntries(tick.byCode.map((c) => [String(c.code), c.count])), { '1000': 12, '1006': 11, null: 3 });
    assert.deepEqual(tick.byService, [
      { service: 'chat', count: 16 },
      { service: 'feed', count: 10 },
    ]);
    assert.equal(tick.events.length, 20);
    assert.ok(tick.events.every((e, i) => i === 0 || (tick.events[i - 1]?.seq ?? 0) > e.seq), 'newest first');
    assert.equal(tick.skippedTicks, 0);
    const ticks = all.ticks;
    assert.ok(ticks.every((k, i) => i === 0 || k.from === ticks[i - 1]?.to), 'ticks cover time without gaps');

    await chat.until('the filtered tick', () => chat.ticks.some((k) => k.total > 0));
    const filtered = chat.ticks.find((k) => k.total > 0) as LiveTick;
    assert.equal(filtered.total, 10);
    assert.deepEqual(filtered.byCode.map((c) => [c.code, c.count, c.shortName]), [
      [1006, 7, 'Abnormal'],
      [null, 3, 'Empty'],
    ]);
    all.ws.close();
    chat.ws.close();
    await Promise.all([all.closed, chat.closed]);
  });

  it('closes with 1008 naming the bad filter', async () => {
    const bad = new Client(`${base}/api/v1/live?code=abc`);
    const { code, reason } = await bad.closed;
    assert.equal(code, 1008);
    assert.match(reason, /^querystring\.code: "abc" is not a close code/);
    const label = new Client(`${base}/api/v1/live?label=nocolon`);
    assert.match((await label.closed).reason, /^querystring\.label: /);
  });

  it('coalesces ticks for a client that stops reading instead of buffering them', async () => {
    const slow = new Client(`${base}/api/v1/live`);
    await slow.until('a first tick', () => slow.ticks.length > 0);
    slow.socket.pause();
    const skippedBefore = t.app.live.skippedTicks;

    // ~1 MB per tick (a thousand distinct 1000-character service names, 20 events with big
    // labels). How much loopback absorbs before the collector's socket buffers depends on
    // the kernel (receive buffers grow up to net.ipv4.tcp_rmem, 32 MB here), so rounds go
    // on until the hub holds a tick back, then three more are held back too.
    const bigLabels = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`.padEnd(64, 'k'), 'v'.repeat(256)]));
    const MAX_ROUNDS = 200;
    let stored = 0;
    let rounds = 0;
    let heldBack = 0;
    while (heldBack < 3) {
      if (rounds === MAX_ROUNDS) throw new Error(`no tick was held back after ${MAX_ROUNDS} MB sent to a client that does not read`);
      const batch = Array.from({ length: 1000 }, (_, i) =>
        storedEvent({ service: `svc-${rounds}-${i}`.padEnd(1000, '-'), code: i % 10 === 0 ? 1006 : 1000, labels: i >= 980 ? bigLabels : {} }),
      );
      stored += (await t.app.db.writer.write(batch)).accepted;
      rounds += 1;
      await new Promise((r) => setTimeout(r, 2 * TICK_MS));
      if (t.app.live.skippedTicks > skippedBefore) heldBack += 1;
    }

    slow.socket.resume();
    const received = (field: (k: LiveTick) => number): number => slow.ticks.reduce((sum, k) => sum + field(k), 0);
    await slow.until(`all ${stored} closes`, () => received((k) => k.total) === stored, 30_000);
    assert.equal(received((k) => k.total), stored, 'coalescing loses no counts');
    assert.equal(received((k) => k.byCode.find((c) => c.code === 1006)?.count ?? 0), stored / 10);
    assert.equal(received((k) => k.skippedTicks), t.app.live.skippedTicks - skippedBefore, 'every held-back tick is reported in the next one sent');
    const merged = slow.ticks.find((k) => k.skippedTicks > 0) as LiveTick;
    assert.equal(merged.events.length, 20, 'a merged tick still carries at most 20 events');
    assert.equal(merged.byService.length, merged.total, 'every service of the held-back ticks is counted');
    slow.ws.close();
    await slow.closed;
  });

  it('spreads a burst larger than the per-tick read over the next ticks, losing nothing', async () => {
    const client = new Client(`${base}/api/v1/live`);
    await client.until('a first tick', () => client.ticks.length > 0);
    const burst = Array.from({ length: 25_000 }, (_, i) => storedEvent({ code: i < 12_000 ? 1000 : 1011 }));
    assert.equal((await t.app.db.writer.write(burst)).accepted, 25_000, 'one transaction');
    const busy = (): LiveTick[] => client.ticks.filter((k) => k.total > 0);
    await client.until('the whole burst', () => busy().reduce((sum, k) => sum + k.total, 0) === 25_000, 15_000);
    assert.deepEqual(busy().map((k) => k.total), [LIVE_MAX_EVENTS_PER_TICK, LIVE_MAX_EVENTS_PER_TICK, 5000]);
    assert.deepEqual(busy().map((k) => k.byCode.map((c) => [c.code, c.count])), [[[1000, 10_000]], [[1011, 8000], [1000, 2000]], [[1011, 5000]]]);
    client.ws.close();
    await client.closed;
  });
});

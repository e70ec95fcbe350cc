import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveHub, type LiveSocket } from '../../src/query/live-hub.js';
import type { CloseEventView, LiveTick } from '../../src/query/schemas.js';

class FakeSocket implements LiveSocket {
  readyState = 1;
  bufferedAmount = 0;
  sent: LiveTick[] = [];
  send(data: string): void {
    this.sent.push(JSON.parse(data) as LiveTick);
  }
}

let seq = 0;
function event(code: number | null, service = 'chat', labels: Record<string, string> = {}): CloseEventView {
  seq += 1;
  return {
    seq,
    id: `e${seq}`,
    ts: 1000 + seq,
    receivedAt: 2000 + seq,
    code,
    name: '',
    shortName: '',
    category: 'normal',
    reason: '',
    reasonTruncated: false,
    reasonTemplate: '',
    wasClean: true,
    initiator: 'server',
    source: 'server',
    service,
    instance: `${service}-1`,
    route: '/ws',
    durationMs: null,
    messagesIn: null,
    messagesOut: null,
    bytesIn: null,
    bytesOut: null,
    labels,
  };
}

/** A hub over a queue of "stored" events, with a clock the test moves. */
function makeHub(): { hub: LiveHub; store: (events: CloseEventView[]) => void; clock: { now: number } } {
  const stored: CloseEventView[] = [];
  const clock = { now: 10_000 };
  const hub = new LiveHub(
    {
      eventsAfter: async (after, limit) => stored.filter((e) => e.seq > after).slice(0, limit),
      lastSeq: async () => stored[stored.length - 1]?.seq ?? 0,
    },
    { tickMs: 60_000, maxBufferedBytes: 1024, now: () => clock.now },
  );
  return { hub, store: (events) => stored.push(...events), clock };
}

describe('LiveHub', () => {
  it('sends each client the closes matching its filters, newest first', async () => {
    const { hub, store, clock } = makeHub();
    store([event(1000)]); // stored before anyone listened: never sent
    const all = new FakeSocket();
    const abnormal = new FakeSocket();
    const labelled = new FakeSocket();
    await hub.add(all, {});
    await hub.add(abnormal, { category: 'abnormal', codes: [1006, null] });
    await hub.add(labelled, { label: { key: 'region', value: 'eu' } });
    store([event(1006, 'chat', { region: 'eu' }), event(1006, 'feed'), event(null), event(1011, 'feed', { region: 'eu' })]);
    clock.now = 11_000;
    await hub.tick();

    const [tick] = all.sent;
    assert.equal(tick?.total, 4);
    assert.equal(tick?.from, 10_000);
    assert.equal(tick?.to, 11_000);
    assert.deepEqual(tick?.byCode.map((c) => [c.code, c.count, c.category]), [
      [1006, 2, 'abnormal'],
      [1011, 1, 'server-error'],
      [null, 1, 'normal'],
    ]);
    assert.deepEqual(tick?.byService, [
      { service: 'chat', count: 2 },
      { service: 'feed', count: 2 },
    ]);
    assert.deepEqual(tick?.events.map((e) => e.seq), [5, 4, 3, 2]);
    assert.equal(abnormal.sent[0]?.total, 2, 'category abnormal and code 1006/none: only the 1006s');
    assert.deepEqual(labelled.sent[0]?.events.map((e) => e.seq), [5, 2]);
    hub.stop();
  });

  it('coalesces ticks for a slow client and keeps at most 20 events', async () => {
    const { hub, store, clock } = makeHub();
    const fast = new FakeSocket();
    const slow = new FakeSocket();
    await hub.add(fast, {});
    await hub.add(slow, {});
    slow.bufferedAmount = 4096;
    for (let round = 1; round <= 3; round += 1) {
      store(Array.from({ length: 10 }, () => event(round === 2 ? 1013 : 1000)));
      clock.now += 1000;
      await hub.tick();
    }
    assert.equal(fast.sent.length, 3);
    assert.equal(slow.sent.length, 0, 'nothing is queued on a socket that is not draining');
    assert.equal(hub.skippedTicks, 3);

    slow.bufferedAmount = 0;
    clock.now += 1000;
    await hub.tick();
    const [merged] = slow.sent;
    assert.equal(merged?.skippedTicks, 3);
    assert.equal(merged?.total, 30);
    assert.equal(merged?.from, 10_000);
    assert.equal(merged?.to, 14_000);
    assert.deepEqual(merged?.byCode.map((c) => [c.code, c.count]), [
      [1000, 20],
      [1013, 10],
    ]);
    assert.equal(merged?.events.length, 20);
    assert.equal(merged?.events[0]?.seq, Math.max(...(merged?.events.map((e) => e.seq) ?? [])));
    assert.deepEqual(fast.sent.map((t) => [t.total, t.skippedTicks]), [[10, 0], [10, 0], [10, 0], [0, 0]]);
    hub.stop();
  });

  it('forgets clients that left and skips closed sockets', async () => {
    const { hub, store, clock } = makeHub();
    const socket = new FakeSocket();
    const client = await hub.add(socket, {});
    assert.equal(hub.clientCount, 1);
    socket.readyState = 3;
    store([event(1000)]);
    clock.now += 1000;
    await hub.tick();
    assert.equal(socket.sent.length, 0);
    hub.remove(client);
    assert.equal(hub.clientCount, 0);
  });
});

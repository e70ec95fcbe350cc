import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import type { CustomCloseCode } from '@closewatch/sdk/close-codes';
import { LiveHub, liveSource } from '../../src/query/live-hub.js';
import type { LiveTick } from '../../src/query/schemas.js';
import { storedEvent } from '../helpers/stored-event.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

// The hub over the real live tail of a real database, feeding real ws sockets on
// loopback; only its clock is the test's, and ticks run when the test says.

let t: TestApp;
let wss: WebSocketServer;
let url: string;
const serverSockets: WebSocket[] = [];

before(async () => {
  t = await startTestApp();
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (socket) => serverSockets.push(socket));
  await new Promise((resolve) => wss.once('listening', resolve));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((resolve) => wss.close(resolve));
  await t.destroy();
});

/** A browser-side socket that records ticks, and the server-side socket the hub writes to. */
async function connect(): Promise<{ client: WebSocket; server: WebSocket; ticks: LiveTick[] }> {
  const before = serverSockets.length;
  const client = new WebSocket(url);
  const ticks: LiveTick[] = [];
  client.on('message', (data: Buffer) => ticks.push(JSON.parse(data.toString()) as LiveTick));
  await new Promise((resolve) => client.once('open', resolve));
  await waitFor('the server side of the socket', () => serverSockets.length > before);
  return { client, server: serverSockets[serverSockets.length - 1] as WebSocket, ticks };
}

function makeHub(clock: { now: number }): LiveHub {
  return new LiveHub(liveSource(t.app.db.tail), { tickMs: 60_000, now: () => clock.now });
}

describe('LiveHub', () => {
  it('sends each client the closes matching its filters, newest first', async () => {
    const clock = { now: 10_000 };
    const hub = makeHub(clock);
    await t.app.db.writer.write([storedEvent({ code: 1000 })]); // stored before anyone listened: never sent
    const all = await connect();
    const abnormal = await connect();
    const labelled = await connect();
    await hub.add(all.server, {});
    await hub.add(abnormal.server, { category: 'abnormal', codes: [1006, null] });
    await hub.add(labelled.server, { label: { key: 'region', value: 'eu' } });
    const batch = [
      storedEvent({ code: 1006, service: 'chat', labels: { region: 'eu' } }),
      storedEvent({ code: 1006, service: 'feed' }),
      storedEvent({ code: null, service: 'chat' }),
      storedEvent({ code: 1011, service: 'feed', labels: { region: 'eu' } }),
    ];
    await t.app.db.writer.write(batch);
    clock.now = 11_000;
    await hub.tick();
    await waitFor('a tick on every socket', () => all.ticks.length === 1 && abnormal.ticks.length === 1 && labelled.ticks.length === 1);

    const [tick] = all.ticks;
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
    const ids = batch.map((e) => e.eventId);
    assert.deepEqual(tick?.events.map((e) => e.id), [ids[3], ids[2], ids[1], ids[0]]);
    assert.equal(abnormal.ticks[0]?.total, 2, 'category abnormal and code 1006/none: only the 1006s');
    assert.deepEqual(labelled.ticks[0]?.events.map((e) => e.id), [ids[3], ids[0]]);
    hub.stop();
    for (const s of [all, abnormal, labelled]) s.client.close();
  });

  it('puts a named code in the category its team gave it, with the names current at each tick', async () => {
    const clock = { now: 15_000 };
    const names = new Map<number, CustomCloseCode>();
    const hub = new LiveHub(liveSource(t.app.db.tail), { tickMs: 60_000, now: () => clock.now, codeNames: () => names });
    const overload = await connect();
    await hub.add(overload.server, { category: 'overload' });
    await t.app.db.writer.write([storedEvent({ code: 4002 }), storedEvent({ code: 1013 })]);
    clock.now = 16_000;
    await hub.tick();
    await waitFor('the first tick', () => overload.ticks.length === 1);
    assert.deepEqual(overload.ticks[0]?.byCode.map((c) => [c.code, c.count]), [[1013, 1]]);
    names.set(4002, { name: 'Room full', meaning: '', category: 'overload', retry: true, alertWorthy: false });
    await t.app.db.writer.write([storedEvent({ code: 4002 }), storedEvent({ code: 4001 })]);
    clock.now = 17_000;
    await hub.tick();
    await waitFor('the second tick', () => overload.ticks.length === 2);
    assert.deepEqual(overload.ticks[1]?.byCode.map((c) => [c.code, c.count, c.name, c.category]), [[4002, 1, 'Room full', 'overload']]);
    hub.stop();
    overload.client.close();
  });

  it('sends nothing to a socket that closed, and forgets clients that left', async () => {
    const clock = { now: 20_000 };
    const hub = makeHub(clock);
    const gone = await connect();
    const staying = await connect();
    const goneClient = await hub.add(gone.server, {});
    await hub.add(staying.server, {});
    assert.equal(hub.clientCount, 2);
    gone.client.close();
    await waitFor('the server side to close', () => gone.server.readyState === WebSocket.CLOSED);
    await t.app.db.writer.write([storedEvent({ code: 1000 })]);
    clock.now += 1000;
    await hub.tick();
    await waitFor('the tick on the open socket', () => staying.ticks.length === 1);
    assert.equal(staying.ticks[0]?.total, 1);
    assert.deepEqual(gone.ticks, []);
    hub.remove(goneClient);
    assert.equal(hub.clientCount, 1);
    hub.stop();
    staying.client.close();
  });
});

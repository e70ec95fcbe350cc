import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeEvent } from '../helpers/events.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

// Two running collectors on one database: a key revoked through one stops working on
// the other once its key cache (5 s) runs out. The second collector's clock is the
// test's, so the window is checked to the millisecond without waiting for it.

let a: TestApp;
let b: TestApp;
const clock = { now: Date.UTC(2026, 11, 1, 12, 0, 0) };

before(async () => {
  a = await startTestApp();
  b = await startTestApp({}, a.db, { clock: () => clock.now });
});
after(async () => {
  await b.close();
  await a.destroy();
});

const send = (t: TestApp, secret: string) =>
  t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${secret}` }, payload: { events: [makeEvent()] } });

test('a key revoked on one collector is refused by another within 5 s', async () => {
  const { key, secret } = await a.app.db.keys.create({ name: 'soon-revoked' });
  assert.equal((await send(b, secret)).statusCode, 200, 'b looked the key up and cached it');
  assert.equal((await send(a, secret)).statusCode, 200);

  assert.equal(await a.app.db.keys.revoke(key.id), true);
  const onA = await send(a, secret);
  assert.equal(onA.statusCode, 401, 'the collector that revoked it refuses it at once');
  assert.equal(onA.json().error.code, 'UNKNOWN_KEY');

  clock.now += 4999;
  assert.equal((await send(b, secret)).statusCode, 200, 'within the 5 s cache window');
  clock.now += 1;
  const onB = await send(b, secret);
  assert.equal(onB.statusCode, 401);
  assert.equal(onB.json().error.message, 'this ingest key is unknown or revoked; create one with `npm run keys -- create --name <name>` (the first start prints one)');

  const stored = a.sqlite.prepare('SELECT count(*) AS n FROM close_event').get() as { n: number };
  assert.equal(stored.n, 3);
});

test('a read token revoked on one collector is refused by another within 5 s', async () => {
  const { key, secret } = await a.app.db.keys.create({ name: 'grafana', kind: 'read' });
  const read = (t: TestApp) => t.inject({ url: '/api/v1/stats/summary', headers: { authorization: `Bearer ${secret}` } });
  assert.equal((await read(b)).statusCode, 200, 'b looked the token up and cached it');
  assert.equal(await a.app.db.keys.revoke(key.id), true);
  const onA = await read(a);
  assert.equal(onA.statusCode, 401, 'the collector that revoked it refuses it at once');
  assert.equal(onA.json().error.code, 'UNKNOWN_TOKEN');

  clock.now += 4999;
  assert.equal((await read(b)).statusCode, 200, 'within the 5 s cache window');
  clock.now += 1;
  const onB = await read(b);
  assert.equal(onB.statusCode, 401);
  assert.equal(onB.json().error.code, 'UNKNOWN_TOKEN');
});

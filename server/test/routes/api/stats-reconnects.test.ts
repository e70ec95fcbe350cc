import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Reconnects } from '../../../src/api-types.js';
import { makeEvent } from '../../helpers/events.js';
import { startTestApp, TEST_KEY, type TestApp } from '../../helpers/test-app.js';

// Connections of known clients around one rolling restart, ingested through the real API:
// every figure of the answer is worked out by hand below.

const MINUTE = 60_000;
const T0 = Math.floor((Date.now() - 3 * 60 * MINUTE) / MINUTE) * MINUTE;

interface Conn {
  key?: string;
  agent?: string;
  service?: string;
  opened: number;
  closed: number;
  code: number | null;
  initiator?: 'server' | 'client';
}

/** One client's connection as the server SDK reports it when it closes. */
function event(c: Conn): Record<string, unknown> {
  return makeEvent({
    ts: c.closed,
    durationMs: c.closed - c.opened,
    code: c.code,
    initiator: c.initiator ?? 'server',
    service: c.service ?? 'chat',
    ...(c.key === undefined ? {} : { clientKey: c.key }),
    ...(c.agent === undefined ? {} : { clientAgent: c.agent }),
  });
}

const CHAT: Conn[] = [
  // ios:a1 (okhttp) is told 1012 at T0 and is back 300 ms later: too fast.
  { key: 'ios:a1', agent: 'okhttp 4', opened: T0 - MINUTE, closed: T0, code: 1012 },
  { key: 'ios:a1', agent: 'okhttp 4', opened: T0 + 300, closed: T0 + 100_000, code: 1000, initiator: 'client' },
  // b1 waits 12.4 s: inside the advised 5-30 s.
  { key: 'b1', agent: 'Chrome 131', opened: T0 - MINUTE, closed: T0, code: 1012 },
  { key: 'b1', agent: 'Chrome 131', opened: T0 + 12_400, closed: T0 + 200_000, code: 1000, initiator: 'client' },
  // c1 always waits 1 s (it reaches the server 1,050 ms after the close): too fast.
  { key: 'c1', agent: 'Python websockets 13', opened: T0 - MINUTE, closed: T0, code: 1012 },
  { key: 'c1', agent: 'Python websockets 13', opened: T0 + 1_050, closed: T0 + 90_000, code: 1006 },
  // d1 is told 1013 and never comes back.
  { key: 'd1', agent: 'Chrome 131', opened: T0 - MINUTE, closed: T0 + 500, code: 1013 },
  // e1 is told 1001; it opens a connection to another service at once (not a reconnect
  // to chat) and is back on chat after 38 s.
  { key: 'e1', agent: 'Chrome 131', opened: T0 - MINUTE, closed: T0 + 2_000, code: 1001 },
  { key: 'e1', agent: 'Chrome 131', service: 'feed', opened: T0 + 3_000, closed: T0 + 50_000, code: 1000, initiator: 'client' },
  { key: 'e1', agent: 'Chrome 131', opened: T0 + 40_000, closed: T0 + 300_000, code: 1000, initiator: 'client' },
  // i1 (no agent) reaches another instance 400 ms before its old one saw the close end: delay 0.
  { key: 'i1', opened: T0 - MINUTE, closed: T0 + 20_000, code: 1012 },
  { key: 'i1', opened: T0 + 19_600, closed: T0 + 400_000, code: 1000, initiator: 'client' },
  // Not followed: a 1012 the client sent, a server's 1000, and a 1012 without a client key.
  { key: 'f1', opened: T0 - MINUTE, closed: T0, code: 1012, initiator: 'client' },
  { key: 'f1', opened: T0 + 100, closed: T0 + 5_000, code: 1000 },
  { key: 'g1', opened: T0 - MINUTE, closed: T0, code: 1000 },
  { key: 'g1', opened: T0 + 100, closed: T0 + 5_000, code: 1000, initiator: 'client' },
  { opened: T0 - MINUTE, closed: T0, code: 1012 },
];

/** Five bots on "feed" that always reconnect 1 s after a 1012, 30 minutes later. */
const T1 = T0 + 30 * MINUTE;
const FEED: Conn[] = Array.from({ length: 5 }, (_, i) => [
  { key: `bot:${i}`, agent: 'fixed-bot 1', service: 'feed', opened: T1 - MINUTE, closed: T1, code: 1012 },
  { key: `bot:${i}`, agent: 'fixed-bot 1', service: 'feed', opened: T1 + 1_000 + i * 20, closed: T1 + 60_000, code: 1000, initiator: 'client' as const },
]).flat();

describe('GET /api/v1/stats/reconnects', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${TEST_KEY}` },
      payload: { events: [...CHAT, ...FEED].map(event) },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json<{ accepted: number }>().accepted, CHAT.length + FEED.length);
  });
  after(async () => t.destroy());

  const get = async (query: string): Promise<Reconnects> => {
    const res = await t.inject(`/api/v1/stats/reconnects?${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json<Reconnects>();
  };

  it('follows each reconnect-advising close to the client next connection, across services kept apart', async () => {
    const body = await get(`service=chat&from=${T0 - 60 * MINUTE}&to=${T0 + 60 * MINUTE}`);
    assert.equal(body.lookaheadMs, 600_000);
    assert.deepEqual(body.advisedDelayMs, { from: 5_000, to: 30_000 });
    assert.equal(body.closes, 6);
    assert.equal(body.reconnected, 5);
    assert.equal(body.notReturned, 1);
    assert.equal(body.tooFast, 3);
    assert.equal(body.compliantShare, 1 / 5);
    assert.equal(body.medianDelayMs, 1_000);
    assert.equal(body.p90DelayMs, 38_000);
    assert.deepEqual(
      body.byCode.map((c) => [c.code, c.name, c.closes, c.reconnected, c.notReturned, c.compliantShare]),
      [
        [1001, 'Going Away', 1, 1, 0, 0],
        [1012, 'Service Restart', 4, 4, 0, 1 / 4],
        [1013, 'Try Again Later', 1, 0, 1, null],
      ],
    );
    const histogram = Object.fromEntries(body.delayHistogram.filter((b) => b.count > 0).map((b) => [b.label, b.count]));
    assert.deepEqual(histogram, { '0 ms - 250 ms': 1, '250 ms - 750 ms': 1, '750 ms - 1.5 s': 1, '10 s - 15 s': 1, '30 s - 1 min': 1 });
    assert.equal(body.delayHistogram.at(-1)?.toMs, 600_000);
  });

  it('charts the storm of the last rolling restart against the normal connection rate', async () => {
    const window = { from: T0 - 60 * MINUTE, to: T0 + 60 * MINUTE };
    const body = await get(`service=chat&from=${window.from}&to=${window.to}`);
    const storm = body.storm;
    assert.ok(storm);
    // T0's second holds the 1012s of ios:a1, b1 and c1 and the 1013 of d1.
    assert.equal(storm.at, T0);
    assert.equal(storm.closes, 4);
    assert.equal(storm.series.length, 70);
    assert.deepEqual(storm.series.filter((s) => s.closes > 0).map((s) => [(s.t - T0) / 1000, s.closes]), [[0, 4], [2, 1], [20, 1]]);
    assert.deepEqual(storm.series.filter((s) => s.reconnects > 0).map((s) => [(s.t - T0) / 1000, s.reconnects]), [[0, 1], [1, 1], [12, 1], [19, 1], [40, 1]]);
    assert.equal(storm.peakPerSecond, 1);
    assert.equal(storm.peakAt, T0);
    // chat's connections in the two hours: every CHAT event but e1's one on feed.
    const chat = CHAT.filter((c) => (c.service ?? 'chat') === 'chat').length;
    assert.equal(storm.baselinePerSecond, chat / 7_200);
    assert.equal(storm.score, 1 / (chat / 7_200));
  });

  it('lists the populations that come back too fast, and a fixed delay as a spike', async () => {
    const chat = await get(`service=chat&from=${T0 - 60 * MINUTE}&to=${T0 + 60 * MINUTE}`);
    assert.deepEqual(
      chat.offenders.map((o) => [o.kind, o.value, o.reconnected, o.tooFast, o.tooFastShare, o.medianDelayMs, o.fixedDelay]),
      [
        ['agent', '(unknown)', 1, 1, 1, 0, false],
        ['agent', 'Python websockets 13', 1, 1, 1, 1_000, false],
        ['keyPrefix', 'ios', 1, 1, 1, 300, false],
        ['agent', 'okhttp 4', 1, 1, 1, 300, false],
      ],
    );
    const feed = await get(`service=feed&from=${T1 - 10 * MINUTE}&to=${T1 + 10 * MINUTE}`);
    assert.equal(feed.closes, 5);
    assert.equal(feed.reconnected, 5);
    assert.equal(feed.compliantShare, 0);
    assert.deepEqual(
      feed.offenders.map((o) => [o.kind, o.value, o.reconnected, o.tooFast, o.medianDelayMs, o.spreadMs, o.fixedDelay]),
      [
        ['keyPrefix', 'bot', 5, 5, 1_000, 0, true],
        ['agent', 'fixed-bot 1', 5, 5, 1_000, 0, true],
      ],
    );
  });

  it('answers zeros and no storm for a range without reconnect-advising closes', async () => {
    const body = await get(`from=${T0 - 120 * MINUTE}&to=${T0 - 90 * MINUTE}`);
    assert.equal(body.closes, 0);
    assert.equal(body.compliantShare, null);
    assert.equal(body.medianDelayMs, null);
    assert.equal(body.storm, null);
    assert.deepEqual(body.offenders, []);
    assert.equal(body.delayHistogram.length, 14);
  });

  it('refuses a bad filter with 400 naming it', async () => {
    const res = await t.inject('/api/v1/stats/reconnects?from=yesterday');
    assert.equal(res.statusCode, 400);
    assert.match(res.json<{ error: { message: string } }>().error.message, /^querystring\.from: /);
  });
});

describe('GET /api/v1/export.csv?kind=reconnects', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    const res = await t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}` }, payload: { events: CHAT.map(event) } });
    assert.equal(res.statusCode, 200, res.body);
  });
  after(async () => t.destroy());

  it('gives the same figures as the API, one group per part', async () => {
    const range = `service=chat&from=${T0 - 60 * MINUTE}&to=${T0 + 60 * MINUTE}`;
    const res = await t.inject(`/api/v1/export.csv?kind=reconnects&${range}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="closewatch-reconnects-chat-.*\.csv"/);
    const lines = res.body.trimEnd().split('\r\n');
    assert.equal(lines[0], 'group,key,label,closes,reconnected,not_returned,too_fast,compliant_share,median_delay_ms,detail');
    assert.match(lines[1] ?? '', /^total,,.* to .*,6,5,1,3,0\.2,1000,p90 38000 ms; advised 5000-30000 ms; not returned within 600000 ms$/);
    assert.deepEqual(lines.filter((l) => l.startsWith('code,')), ['code,1001,Going Away,1,1,0,,0,,', 'code,1012,Service Restart,4,4,0,,0.25,,', 'code,1013,Try Again Later,1,0,1,,,,']);
    assert.equal(lines.filter((l) => l.startsWith('delay,')).length, 14);
    assert.ok(lines.includes('delay,10000,10 s - 15 s,,1,,,,,10000-15000 ms'));
    assert.ok(lines.includes('key_prefix,ios,,,1,,1,,300,spread 0 ms'));
    assert.equal(lines.filter((l) => l.startsWith('storm_second,')).length, 70);
    assert.match(lines.find((l) => l.startsWith('storm,')) ?? '', /^storm,.*,mass close,4,1,,,,,peak 1\/s at .*; normal 0\.002\/s; score 450\.0$/);
  });
});

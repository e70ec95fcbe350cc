import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RECONNECT_ADVISING_CODES } from '@closewatch/sdk/close-codes';
import { seededRandom as prng } from '../../../src/demo/seeded-random.js';
import { openStorage } from '../../../src/storage/open-storage.js';
import { reconnectStep, RECONNECT_SKEW_MS } from '../../../src/storage/reconnect-cells.js';
import type { Storage } from '../../../src/storage/storage.js';
import { DAY_MS } from '../../../src/storage/time-window.js';
import { HOUR_MS, MINUTE_MS, RECONNECT_LOOKAHEAD_MS, type StoredCloseEvent, type StoredOpen } from '../../../src/storage/types.js';
import { storedEvent } from '../../helpers/stored-event.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

// The reconnect matching runs at ingest: each reconnect-advising close takes the earliest
// next opening of its client already stored, and each opening stored later moves the
// closes it answers. Whatever order closes and openings arrive in, over however many
// collectors, the stored matches must equal a search of everything stored, and the
// reconnect cells must count those matches.

const SERVICES = ['chat', 'feed'];
const PREFIXES = ['ios:', 'web:', ''];
const AGENTS = ['okhttp 4', 'Chrome 131', null];
const CODES = [1001, 1012, 1013, 1000, 1006];
/** Waits between a close and the next opening: before the close was seen, at once, fixed, jittered, and not back. */
const GAPS = [() => -600, () => 0, () => 1_000, (r: () => number) => 5_000 + Math.floor(r() * 25_000), () => RECONNECT_LOOKAHEAD_MS + 5_000, (r: () => number) => Math.floor(r() * 200_000)];

interface Load {
  events: StoredCloseEvent[];
  notices: StoredOpen[];
}

function makeLoad(seed: number, start: number): Load {
  const r = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  const load: Load = { events: [], notices: [] };
  for (let client = 0; client < 40; client += 1) {
    const key = `${pick(PREFIXES)}client-${seed}-${client}`;
    const agent = pick(AGENTS);
    let opened = start + Math.floor(r() * 10 * MINUTE_MS);
    const connections = 3 + Math.floor(r() * 6);
    for (let k = 0; k < connections; k += 1) {
      const service = pick(SERVICES);
      // Some connections live under the skew: their own opening must not count as their reconnect.
      const lifetime = r() < 0.15 ? Math.floor(r() * 900) : 1_000 + Math.floor(r() * 120_000);
      const closed = opened + lifetime;
      const eventId = `c-${seed}-${client}-${k}`;
      const open: StoredOpen = { keyId: 'test', noticeId: eventId, clientKey: key, openedAt: opened, service, instance: `${service}-${k % 2}`, route: '/ws', receivedAt: opened };
      if (r() < 0.5) load.notices.push(open);
      const stillOpen = k === connections - 1 && r() < 0.4;
      if (!stillOpen) {
        load.events.push(
          storedEvent({
            eventId,
            ts: closed,
            receivedAt: closed,
            code: pick(CODES),
            initiator: r() < 0.8 ? 'server' : 'client',
            service,
            instance: open.instance,
            clientKey: r() < 0.95 ? key : null,
            clientAgent: agent,
            durationMs: r() < 0.9 ? lifetime : null,
          }),
        );
      }
      opened = closed + (pick(GAPS) as (r: () => number) => number)(r);
    }
  }
  return load;
}

function shuffle<T>(items: T[], r: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(r() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

type Batch = { kind: 'events'; events: StoredCloseEvent[] } | { kind: 'notices'; notices: StoredOpen[] };

/** The load cut into batches of one kind, in a shuffled order: openings arrive before and after the closes they answer. */
function batches(load: Load, seed: number): Batch[] {
  const r = prng(seed + 1);
  const items: Array<{ e?: StoredCloseEvent; n?: StoredOpen }> = shuffle([...load.events.map((e) => ({ e })), ...load.notices.map((n) => ({ n }))], r);
  const out: Batch[] = [];
  let i = 0;
  while (i < items.length) {
    const size = 1 + Math.floor(r() * 25);
    const slice = items.slice(i, i + size);
    i += size;
    const events = slice.flatMap((s) => (s.e ? [s.e] : []));
    const notices = slice.flatMap((s) => (s.n ? [s.n] : []));
    if (events.length > 0) out.push({ kind: 'events', events });
    if (notices.length > 0) out.push({ kind: 'notices', notices });
    // A retry of a batch whose answer was lost: stored once.
    if (r() < 0.1 && events.length > 0) out.push({ kind: 'events', events });
  }
  return out;
}

async function send(storage: Storage, list: readonly Batch[]): Promise<void> {
  for (const b of list) {
    if (b.kind === 'events') await storage.writer.write(b.events);
    else await storage.opens.write(b.notices);
  }
}

interface EventRow {
  seq: number;
  key_id: string;
  event_id: string;
  ts: number;
  service: string;
  code: number | null;
  initiator: string;
  client_key: string | null;
  client_agent: string | null;
  opened_at: number | null;
}

interface Followed {
  ts: number;
  code: number;
  agent: string;
  keyPrefix: string;
  service: string;
  nextOpen: number | null;
}

/** The matches a search of every stored close and notice gives, by seq. */
async function expectedMatches(t: TestApp): Promise<Map<number, Followed>> {
  const events = await t.query<EventRow>('SELECT seq, key_id, event_id, ts, service, code, initiator, client_key, client_agent, opened_at FROM close_event');
  const notices = await t.query<{ key_id: string; notice_id: string; client_key: string; service: string; opened_at: number }>(
    'SELECT key_id, notice_id, client_key, service, opened_at FROM connection_open',
  );
  const expected = new Map<number, Followed>();
  for (const c of events) {
    if (c.client_key === null || c.initiator !== 'server' || !(RECONNECT_ADVISING_CODES as readonly number[]).includes(c.code ?? 0)) continue;
    const answers = (at: number | null): at is number => at !== null && at >= c.ts - RECONNECT_SKEW_MS && at < c.ts + RECONNECT_LOOKAHEAD_MS;
    const opens = [
      ...events.filter((n) => n.client_key === c.client_key && n.service === c.service && n.seq !== c.seq && answers(n.opened_at)).map((n) => n.opened_at as number),
      ...notices.filter((o) => o.client_key === c.client_key && o.service === c.service && !(o.key_id === c.key_id && o.notice_id === c.event_id) && answers(o.opened_at)).map((o) => o.opened_at),
    ];
    const colon = c.client_key.indexOf(':');
    expected.set(c.seq, {
      ts: c.ts,
      code: c.code as number,
      agent: c.client_agent ?? '',
      keyPrefix: colon > 0 ? c.client_key.slice(0, colon) : '',
      service: c.service,
      nextOpen: opens.length === 0 ? null : Math.min(...opens),
    });
  }
  return expected;
}

function countBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const sorted = (m: Map<string, number>): Array<[string, number]> => [...m].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('the reconnect matching at ingest', () => {
  let t: TestApp;
  let second: Storage | null = null;
  const start = Date.now() - 3 * HOUR_MS - (Date.now() % MINUTE_MS) + 17_345;
  let expected: Map<number, Followed>;

  before(async () => {
    t = await startTestApp();
    // On PostgreSQL a second collector writes half the load at the same time.
    if (t.db.engine === 'postgres') {
      second = await openStorage({ url: t.db.url, writerHeapMb: 64, maxRoutesPerServiceHour: 500, maxQueuedBatches: 100, maxQueuedBytes: 64 << 20, readWorkers: 1, readBudgetMs: 10_000 });
    }
    const loads = [makeLoad(1, start), makeLoad(2, start + 20 * MINUTE_MS), makeLoad(3, start + 70 * MINUTE_MS)];
    const all = batches({ events: loads.flatMap((l) => l.events), notices: loads.flatMap((l) => l.notices) }, 7);
    const half = Math.ceil(all.length / 2);
    await Promise.all([send(t.app.db, all.slice(0, half)), send(second ?? t.app.db, all.slice(half))]);
    expected = await expectedMatches(t);
  });
  after(async () => {
    await second?.close();
    await t?.destroy();
  });

  it('stores each reconnect-advising close once, with the earliest next opening of its client and service', async () => {
    const rows = await t.query<{ seq: number; ts: number; service: string; code: number; agent: string; key_prefix: string; next_open: number | null }>(
      'SELECT seq, ts, service, code, agent, key_prefix, next_open FROM reconnect_close ORDER BY seq',
    );
    const stored = new Map(rows.map((r) => [r.seq, { ts: r.ts, code: r.code, agent: r.agent, keyPrefix: r.key_prefix, service: r.service, nextOpen: r.next_open }]));
    assert.ok(expected.size > 100, `the load follows ${expected.size} closes`);
    const returned = [...expected.values()].filter((f) => f.nextOpen !== null).length;
    assert.ok(returned > 20 && returned < expected.size, `${returned} of ${expected.size} came back`);
    assert.deepEqual(stored, expected);
  });

  it('counts every match in the hour and day cells and every followed close in its second', async () => {
    const cell = (bucketMs: number) => (f: Followed) => [f.ts - (f.ts % bucketMs), f.code, f.agent, f.keyPrefix, reconnectStep(f.ts, f.nextOpen)].join('|');
    for (const [table, bucketMs] of [['reconnect_rollup_hour', HOUR_MS], ['reconnect_rollup_day', DAY_MS]] as const) {
      const rows = await t.query<{ bucket: number; code: number; agent: string; key_prefix: string; step: number; count: number }>(
        `SELECT bucket, code, agent, key_prefix, step, count FROM ${table}`,
      );
      const stored = new Map(rows.map((r) => [[r.bucket, r.code, r.agent, r.key_prefix, r.step].join('|'), r.count]));
      assert.deepEqual(sorted(stored), sorted(countBy(expected.values(), cell(bucketMs))), table);
    }
    const seconds = await t.query<{ bucket: number; count: number }>('SELECT bucket, count FROM reconnect_close_second');
    assert.deepEqual(sorted(new Map(seconds.map((s) => [String(s.bucket), s.count]))), sorted(countBy(expected.values(), (f) => String(f.ts - (f.ts % 1000)))));
  });

  it('answers the same delays from the cells and minute edges as from the closes of each service', async () => {
    // Minute edges on both sides of whole hours: both kinds of legs are read.
    const window = { from: start - (start % MINUTE_MS) - 7 * MINUTE_MS, to: start - (start % MINUTE_MS) + 2 * HOUR_MS + 23 * MINUTE_MS };
    const inWindow = [...expected.values()].filter((f) => f.ts >= window.from && f.ts < window.to);
    const want = (fs: Followed[]) => sorted(countBy(fs, (f) => [f.code, f.agent, f.keyPrefix, reconnectStep(f.ts, f.nextOpen)].join('|')));
    const got = (cells: Awaited<ReturnType<Storage['reconnects']['delays']>>) =>
      sorted(new Map(cells.map((c) => [[c.code, c.agent ?? '', c.keyPrefix ?? '', c.delayMs ?? -1].join('|'), c.count])));
    assert.deepEqual(got(await t.app.db.reconnects.delays(window, {})), want(inWindow));
    for (const service of SERVICES) {
      assert.deepEqual(got(await t.app.db.reconnects.delays(window, { service })), want(inWindow.filter((f) => f.service === service)), service);
    }
  });

  it('finds the busiest seconds of a window whether the busiest seconds ever stored hold them or not', async () => {
    const from = start - (start % MINUTE_MS) + 13 * MINUTE_MS;
    const followedSeconds = new Set([...expected.values()].map((f) => f.ts - (f.ts % 1000))).size;
    for (const window of [{ from, to: from + 40 * MINUTE_MS }, { from, to: from + 3 * HOUR_MS }, { from: from - HOUR_MS, to: from + 5 * MINUTE_MS }]) {
      const perSecond = countBy([...expected.values()].filter((f) => f.ts >= window.from && f.ts < window.to), (f) => String(f.ts - (f.ts % 1000)));
      const want = [...perSecond].map(([t, closes]) => ({ t: Number(t), closes })).sort((a, b) => b.closes - a.closes || b.t - a.t).slice(0, 5);
      assert.equal(want.length, 5);
      // From a first read that holds none of them, some, or every second stored.
      for (const scanned of [1, 4, 12, 60, followedSeconds, 5_000]) {
        assert.deepEqual(await t.app.db.reconnects.busiestSeconds(window, {}, 5, scanned), want, `${JSON.stringify(window)}, ${scanned} scanned first`);
      }
    }
  });
});

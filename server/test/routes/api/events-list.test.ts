import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredCloseEvent } from '../../../src/storage/types.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { aligned, filterQuery, HOUR, makeEvents, matches, RANGES, RAW_FILTERS, ROLLUP_FILTERS, seed, SPAN_END, type Filter } from '../../query/fixtures.js';

interface EventView {
  seq: number;
  id: string;
  ts: number;
  code: number | null;
  name: string;
  shortName: string;
  category: string;
  [field: string]: unknown;
}
interface Page {
  events: EventView[];
  nextCursor: string | null;
}

describe('GET /api/v1/events', () => {
  let t: TestApp;
  let events: StoredCloseEvent[];
  /** Stored after the fixture and outside its ranges, so the newest rows hold none of them. */
  let later: StoredCloseEvent[];

  before(async () => {
    t = await startTestApp();
    events = makeEvents(3000);
    await seed(t.app, events);
    later = makeEvents(21_000, 3).map((e, i) => ({ ...e, eventId: `later-${i}`, ts: SPAN_END + HOUR + i }));
    await seed(t.app, later);
  });
  after(async () => t.destroy());

  /** Walks every page; ids in the order received. */
  async function walk(range: { from: number; to: number }, f: Filter, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = [`from=${range.from}`, `to=${range.to}`, `limit=${limit}`, filterQuery(f), cursor ? `cursor=${cursor}` : ''].filter(Boolean).join('&');
      const res = await t.inject(`/api/v1/events?${q}`);
      assert.equal(res.statusCode, 200, res.body);
      const page: Page = res.json<Page>();
      assert.ok(page.events.length <= limit);
      ids.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
      pages += 1;
      assert.ok(pages < 1000, 'pagination terminates');
    } while (cursor !== null);
    return { ids, pages };
  }

  /** Stored order is insertion order, so newest first is the fixture reversed. */
  function expectedIds(range: { from: number; to: number }, f: Filter): string[] {
    const window = aligned(range.from, range.to);
    const out: string[] = [];
    for (let i = events.length - 1; i >= 0; i -= 1) {
      const e = events[i] as StoredCloseEvent;
      if (e.ts >= window.from && e.ts < window.to && matches(e, f)) out.push(e.eventId);
    }
    return out;
  }

  it('visits every matching event exactly once, newest first, with every filter', async () => {
    for (const f of [...ROLLUP_FILTERS, ...RAW_FILTERS]) {
      for (const range of RANGES) {
        const expected = expectedIds(range, f);
        const { ids, pages } = await walk(range, f, 97);
        assert.deepEqual(ids, expected, JSON.stringify(f));
        // nextCursor is null on the last page, so no empty page is needed to learn the end.
        assert.equal(pages, Math.max(1, Math.ceil(expected.length / 97)));
      }
    }
  });

  it('pages with small limits and the default limit of 50', async () => {
    const range = RANGES[1] as { from: number; to: number };
    assert.deepEqual((await walk(range, {}, 1)).ids, expectedIds(range, {}));
    const res = await t.inject(`/api/v1/events?from=${range.from}&to=${range.to}`);
    assert.equal(res.json<Page>().events.length, Math.min(50, expectedIds(range, {}).length));
  });

  it('lists the newest events of the default window first', async () => {
    const now = Date.now();
    await seed(t.app, [{ ...(events[0] as StoredCloseEvent), eventId: 'fresh', ts: now - 1000 }]);
    const res = await t.inject('/api/v1/events?limit=1');
    assert.equal(res.json<Page>().events[0]?.id, 'fresh');
  });

  it('returns every stored field with the registry fields of the code', async () => {
    const e = events.find((x) => x.code === 4001 && Object.keys(x.labels).length > 0 && x.durationMs !== null) as StoredCloseEvent;
    const res = await t.inject(`/api/v1/events?from=${e.ts}&to=${e.ts + 1}&code=4001&instance=${e.instance}&route=${encodeURIComponent(e.route)}`);
    const view = res.json<Page>().events.find((v) => v.id === e.eventId);
    assert.ok(view);
    const { seq, ...rest } = view;
    assert.equal(seq, events.indexOf(e) + 1, 'seq is the position in insertion order');
    assert.deepEqual(rest, {
      id: e.eventId,
      ts: e.ts,
      receivedAt: e.receivedAt,
      code: 4001,
      name: 'Private (application)',
      shortName: 'Other',
      category: 'application',
      reason: e.reason,
      reasonTruncated: false,
      reasonTemplate: e.reasonTemplate,
      wasClean: e.wasClean,
      initiator: e.initiator,
      source: 'server',
      service: e.service,
      instance: e.instance,
      route: e.route,
      durationMs: e.durationMs,
      messagesIn: 3,
      messagesOut: 4,
      bytesIn: 100,
      bytesOut: 200,
      labels: e.labels,
      clientKey: e.clientKey,
      clientAgent: e.clientAgent,
      previousCode: e.previousCode,
      reconnectDelayMs: e.reconnectDelayMs,
    });
  });

  it('rejects bad cursors and limits', async () => {
    for (const [query, field] of [
      ['cursor=nope', 'cursor'],
      [`cursor=${Buffer.from('v2:5').toString('base64url')}`, 'cursor'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
    ] as const) {
      const res = await t.inject(`/api/v1/events?${query}`);
      assert.equal(res.statusCode, 400, query);
      const { error } = res.json<{ error: { code: string; message: string } }>();
      assert.equal(error.code, 'INVALID_QUERY');
      assert.ok(error.message.startsWith(`querystring.${field}: `), error.message);
    }
  });
});

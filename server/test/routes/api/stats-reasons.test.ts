import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredCloseEvent } from '../../../src/storage/types.js';
import type { TestApp } from '../../helpers/test-app.js';
import { aligned, codeKey, filterQuery, MINUTE, RANGES, RAW_FILTERS, ROLLUP_FILTERS, select, type Filter, seededApp } from '../../query/fixtures.js';
import { storedEvent } from '../../helpers/stored-event.js';

interface ReasonsBody {
  window: { from: number; to: number };
  codes: Array<{
    code: number | null;
    name: string;
    shortName: string;
    category: string;
    count: number;
    reasons: Array<{ template: string; count: number; examples: string[] }>;
  }>;
}

describe('GET /api/v1/stats/reasons', () => {
  let t: TestApp;
  let events: StoredCloseEvent[];

  before(async () => {
    ({ t, events } = await seededApp());
  });
  after(async () => t.destroy());

  async function get(range: { from: number; to: number }, f: Filter, limit?: number): Promise<{ body: ReasonsBody; path: string }> {
    const q = [`from=${range.from}`, `to=${range.to}`, filterQuery(f), limit === undefined ? '' : `limit=${limit}`].filter(Boolean).join('&');
    const res = await t.inject(`/api/v1/stats/reasons?${q}`);
    assert.equal(res.statusCode, 200, res.body);
    return { body: res.json<ReasonsBody>(), path: String(res.headers['x-closewatch-path']) };
  }

  function check(body: ReasonsBody, range: { from: number; to: number }, f: Filter, limit: number): void {
    const matching = select(events, aligned(range.from, range.to), f);
    const label = JSON.stringify(f);
    const perCode = new Map<string, StoredCloseEvent[]>();
    for (const e of matching) perCode.set(codeKey(e.code), [...(perCode.get(codeKey(e.code)) ?? []), e]);
    assert.deepEqual(body.codes.map((c) => codeKey(c.code)).sort(), [...perCode.keys()].sort(), label);
    for (let i = 1; i < body.codes.length; i += 1) assert.ok((body.codes[i - 1]?.count ?? 0) >= (body.codes[i]?.count ?? 0));

    for (const c of body.codes) {
      const ofCode = perCode.get(codeKey(c.code)) ?? [];
      assert.equal(c.count, ofCode.length, `${label} ${codeKey(c.code)}`);
      const templates = new Map<string, number>();
      for (const e of ofCode) templates.set(e.reasonTemplate, (templates.get(e.reasonTemplate) ?? 0) + 1);
      const top = [...templates.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, limit)
        .map(([template, count]) => ({ template, count }));
      assert.deepEqual(c.reasons.map(({ template, count }) => ({ template, count })), top, `${label} ${codeKey(c.code)}`);
      for (const r of c.reasons) {
        const raw = new Set(ofCode.filter((e) => e.reasonTemplate === r.template).map((e) => e.reason));
        if (r.template === '') assert.deepEqual(r.examples, []);
        else assert.equal(r.examples.length, Math.min(3, raw.size), `${label} ${r.template}`);
        assert.equal(new Set(r.examples).size, r.examples.length, 'examples are distinct');
        for (const example of r.examples) assert.ok(raw.has(example), `${example} is a reason of ${r.template}`);
      }
    }
  }

  it('counts templates per code from rollups and takes examples from matching raw events', async () => {
    for (const range of RANGES) {
      for (const f of ROLLUP_FILTERS) {
        const { body, path } = await get(range, f);
        assert.equal(path, 'rollups');
        check(body, range, f, 5);
      }
    }
  });

  it('lists no code whose closes all fall outside the window on a day read whole', async () => {
    // The last range's last day is read as the whole day less its hours after the window.
    const range = RANGES[RANGES.length - 1] as { from: number; to: number };
    const after = storedEvent({ ts: aligned(range.from, range.to).to + 10 * MINUTE, code: 4999, reason: 'after the window', reasonTemplate: 'after the window' });
    await t.app.db.writer.write([after]);
    events.push(after);
    const { body, path } = await get(range, {});
    assert.equal(path, 'rollups');
    check(body, range, {}, 5);
  });

  it('answers raw-event filters', async () => {
    for (const f of RAW_FILTERS) {
      const { body, path } = await get(RANGES[0] as { from: number; to: number }, f);
      assert.equal(path, 'events');
      check(body, RANGES[0] as { from: number; to: number }, f, 5);
    }
  });

  it('limits templates per code', async () => {
    const range = RANGES[0] as { from: number; to: number };
    const { body } = await get(range, {}, 1);
    check(body, range, {}, 1);
    assert.ok(body.codes.every((c) => c.reasons.length === 1));
    // Examples: the distinct raw reasons of the template, the most recently seen first.
    const top = body.codes.find((c) => c.code === 4001)?.reasons[0];
    const newestFirst = select(events, aligned(range.from, range.to), {})
      .filter((e) => e.code === 4001 && e.reasonTemplate === top?.template)
      .sort((a, b) => b.ts - a.ts);
    const expected: string[] = [];
    for (const e of newestFirst) if (expected.length < 3 && !expected.includes(e.reason)) expected.push(e.reason);
    assert.equal(expected.length, 3);
    assert.deepEqual(top?.examples, expected);
    const bad = await t.inject(`/api/v1/stats/reasons?limit=51`);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ error: { message: string } }>().error.message, 'querystring.limit: must be an integer from 1 to 50');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIFETIME_EDGES_MS } from '@closewatch/sdk/lifetime-buckets';
import { seededRandom } from '../../../src/demo/seeded-random.js';
import { COUNT_ROLLUPS } from '../../../src/storage/rollup-deltas.js';
import { DAY_MS } from '../../../src/storage/time-window.js';
import { HOUR_MS, MINUTE_MS, type StoredCloseEvent } from '../../../src/storage/types.js';
import { storedEvent } from '../../helpers/stored-event.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

// A transaction counts each event into the minute rows only; the hour and day rows, and
// the code and reason rollups, are derived from those. Every row of every rollup table
// must still equal the same GROUP BY over the stored events, whatever the batches held.

const LEVELS = [
  ['minute', MINUTE_MS],
  ['hour', HOUR_MS],
  ['day', DAY_MS],
] as const;

/** The lifetime bucket as SQL: how many edges past the first the duration reaches (lifetimeBucket's rule). */
const LIFETIME_BUCKET_SQL = `(${LIFETIME_EDGES_MS.slice(1).map((edge) => `CASE WHEN duration_ms >= ${edge} THEN 1 ELSE 0 END`).join(' + ')})`;

/** The key columns of a count rollup as computed from close_event. */
const RAW_COLUMN: Record<string, string> = {
  code: 'COALESCE(code, -1)',
  service: 'service',
  instance: 'instance',
  reason_template: 'reason_template',
  lifetime_bucket: LIFETIME_BUCKET_SQL,
};

function makeEvents(seed: number, start: number): StoredCloseEvent[] {
  const r = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  return Array.from({ length: 900 }, (_, i) =>
    storedEvent({
      eventId: `rollup-${seed}-${i}`,
      // Three days, so rows fall in many minutes, several hours and days.
      ts: start + Math.floor(r() * 3 * DAY_MS),
      code: pick([1000, 1000, 1001, 1006, 1011, 4001, null]),
      initiator: pick(['client', 'server', 'unknown']),
      reasonTemplate: pick(['', 'bye', 'user {n} banned']),
      wasClean: r() < 0.7,
      service: pick(['chat', 'feed']),
      instance: pick(['a', 'b', 'c']),
      route: pick(['/ws', '/live']),
      durationMs: r() < 0.8 ? Math.floor(r() * 400_000) : null,
      bytesIn: r() < 0.8 ? Math.floor(r() * 5_000) : null,
      bytesOut: r() < 0.8 ? Math.floor(r() * 5_000) : null,
    }),
  );
}

describe('rollups derived from minute rows', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
    const start = Date.now() - 4 * DAY_MS;
    const events = [...makeEvents(1, start), ...makeEvents(2, start)];
    // Batches of every size, some written at once (one transaction), and a retried batch.
    const batches: StoredCloseEvent[][] = [];
    for (let i = 0, size = 1; i < events.length; i += size, size = (size * 7) % 311 || 1) batches.push(events.slice(i, i + size));
    batches.push(events.slice(100, 180));
    await Promise.all(batches.map((b) => t.app.db.writer.write(b)));
  });
  after(async () => {
    await t?.destroy();
  });

  it('stores 1,800 events once', async () => {
    const [row] = await t.query<{ n: number }>('SELECT count(*) AS n FROM close_event');
    assert.equal(row?.n, 1800);
  });

  for (const [level, ms] of LEVELS) {
    it(`close_rollup_${level} equals the events grouped by ${level}`, async () => {
      const bucket = `(ts - ts % ${ms})`;
      const raw = await t.query(
        `SELECT ${bucket} AS bucket, service, route, COALESCE(code, -1) AS code, initiator, reason_template,
           count(*) AS count, SUM(CASE WHEN was_clean THEN 1 ELSE 0 END) AS clean_count, COALESCE(SUM(duration_ms), 0) AS duration_sum_ms,
           count(duration_ms) AS duration_count, COALESCE(SUM(bytes_in), 0) AS bytes_in, COALESCE(SUM(bytes_out), 0) AS bytes_out
         FROM close_event GROUP BY ${bucket}, service, route, COALESCE(code, -1), initiator, reason_template ORDER BY 1, 2, 3, 4, 5, 6`,
      );
      const rolled = await t.query(
        `SELECT bucket, service, route, code, initiator, reason_template, count, clean_count, duration_sum_ms, duration_count, bytes_in, bytes_out
         FROM close_rollup_${level} ORDER BY 1, 2, 3, 4, 5, 6`,
      );
      assert.ok(raw.length > 100, `${raw.length} rows`);
      assert.deepEqual(rolled, raw);
    });
  }

  for (const [table, keys] of Object.entries(COUNT_ROLLUPS).filter(([name]) => !name.startsWith('reconnect_'))) {
    it(`${table} equals the events grouped by its key`, async () => {
      const ms = (LEVELS.find(([level]) => table.endsWith(`_${level}`)) as (typeof LEVELS)[number])[1];
      const columns = keys.map((k) => (k === 'bucket' ? `(ts - ts % ${ms})` : (RAW_COLUMN[k] as string)));
      const order = keys.map((_, i) => i + 1).join(', ');
      const raw = await t.query(
        `SELECT ${columns.map((c, i) => `${c} AS ${keys[i]}`).join(', ')}, count(*) AS count FROM close_event
         ${table.startsWith('lifetime_') ? 'WHERE duration_ms IS NOT NULL' : ''} GROUP BY ${columns.join(', ')} ORDER BY ${order}`,
      );
      const rolled = await t.query(`SELECT ${keys.join(', ')}, count FROM ${table} ORDER BY ${order}`);
      assert.ok(raw.length > 20, `${raw.length} rows`);
      assert.deepEqual(rolled, raw);
    });
  }
});

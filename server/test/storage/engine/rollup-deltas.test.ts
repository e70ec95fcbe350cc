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

/** Rows of `close_rollup_<level>` equal the GROUP BY of the stored events: all of them by minute, those before `rolledTo` by hour and day. */
async function assertCloseRollup(t: TestApp, level: (typeof LEVELS)[number][0], rolledTo: number): Promise<void> {
  const ms = (LEVELS.find(([l]) => l === level) as (typeof LEVELS)[number])[1];
  const bucket = `(ts - ts % ${ms})`;
  const before = level === 'minute' || rolledTo === Infinity ? '' : `WHERE ts < ${rolledTo}`;
  const raw = await t.query(
    `SELECT ${bucket} AS bucket, service, route, COALESCE(code, -1) AS code, initiator, reason_template,
       count(*) AS count, SUM(CASE WHEN was_clean THEN 1 ELSE 0 END) AS clean_count, COALESCE(SUM(duration_ms), 0) AS duration_sum_ms,
       count(duration_ms) AS duration_count, COALESCE(SUM(bytes_in), 0) AS bytes_in, COALESCE(SUM(bytes_out), 0) AS bytes_out
     FROM close_event ${before} GROUP BY ${bucket}, service, route, COALESCE(code, -1), initiator, reason_template ORDER BY 1, 2, 3, 4, 5, 6`,
  );
  const rolled = await t.query(
    `SELECT bucket, service, route, code, initiator, reason_template, count, clean_count, duration_sum_ms, duration_count, bytes_in, bytes_out
     FROM close_rollup_${level} ORDER BY 1, 2, 3, 4, 5, 6`,
  );
  assert.ok(raw.length > 20, `${raw.length} rows`);
  assert.deepEqual(rolled, raw, `close_rollup_${level}`);
}

/** Rows of a count rollup equal the GROUP BY of the stored events by its key (hour and day: those before `rolledTo`). */
async function assertCountRollup(t: TestApp, table: string, rolledTo: number): Promise<void> {
  const keys = COUNT_ROLLUPS[table] as readonly string[];
  const ms = (LEVELS.find(([level]) => table.endsWith(`_${level}`)) as (typeof LEVELS)[number])[1];
  const columns = keys.map((k) => (k === 'bucket' ? `(ts - ts % ${ms})` : (RAW_COLUMN[k] as string)));
  const order = keys.map((_, i) => i + 1).join(', ');
  const conditions = [
    ...(table.startsWith('lifetime_') ? ['duration_ms IS NOT NULL'] : []),
    ...(table.endsWith('_minute') || rolledTo === Infinity ? [] : [`ts < ${rolledTo}`]),
  ];
  const raw = await t.query(
    `SELECT ${columns.map((c, i) => `${c} AS ${keys[i]}`).join(', ')}, count(*) AS count FROM close_event
     ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''} GROUP BY ${columns.join(', ')} ORDER BY ${order}`,
  );
  const rolled = await t.query(`SELECT ${keys.join(', ')}, count FROM ${table} ORDER BY ${order}`);
  assert.ok(raw.length > 5, `${raw.length} rows`);
  assert.deepEqual(rolled, raw, table);
}

/** Every event rollup table against the stored events (see assertCloseRollup). */
async function assertRollups(t: TestApp, rolledTo: number): Promise<void> {
  for (const [level] of LEVELS) await assertCloseRollup(t, level, rolledTo);
  for (const table of Object.keys(COUNT_ROLLUPS).filter((name) => !name.startsWith('reconnect_'))) await assertCountRollup(t, table, rolledTo);
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

  for (const [level] of LEVELS) {
    it(`close_rollup_${level} equals the events grouped by ${level}`, async () => {
      await assertCloseRollup(t, level, Infinity);
    });
  }

  for (const table of Object.keys(COUNT_ROLLUPS).filter((name) => !name.startsWith('reconnect_'))) {
    it(`${table} equals the events grouped by its key`, async () => {
      await assertCountRollup(t, table, Infinity);
    });
  }
});

/** The responses of the stats API over `windows`, without what differs between two reads of the same data. */
async function statsAnswers(t: TestApp, windows: ReadonlyArray<{ from: number; to: number }>): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (const { from, to } of windows) {
    for (const path of ['summary', 'timeseries', 'reasons', 'breakdown', 'lifetimes']) {
      const res = await t.inject(`/api/v1/stats/${path}?from=${from}&to=${to}`);
      assert.equal(res.statusCode, 200, res.body);
      answers.push(JSON.parse(res.body, (key, value: unknown) => (key === 'generatedAt' || key === 'tookMs' ? undefined : value)));
    }
  }
  return answers;
}

describe('the rollup watermark: hour and day rows are written once an hour is over', () => {
  let t: TestApp;
  const now = Date.now();
  const rolledTo = async (): Promise<number> => Number((await t.query<{ value: string }>("SELECT value FROM setting WHERE key = 'rollups.rolled_to'"))[0]?.value);
  const windows = [
    { from: now - 9 * HOUR_MS, to: now + 5 * HOUR_MS },
    { from: now - 7 * DAY_MS, to: now + 5 * HOUR_MS },
    { from: now - 90 * MINUTE_MS, to: now + 170 * MINUTE_MS },
  ];

  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t?.destroy();
  });

  it('counts the hours from the watermark on in minute rows only, and reads answer the same before and after the roll-up', async () => {
    // Twelve hours, the last four in the future (so hours past the watermark are not rolled
    // up when the reads run), half of the events from 90 minutes ago on.
    const start = now - 8 * HOUR_MS;
    const events = [...makeEvents(3, start), ...makeEvents(4, start)].map((e, i) => ({
      ...e,
      ts: i % 2 === 0 ? start + ((e.ts - start) % (12 * HOUR_MS)) : now - 90 * MINUTE_MS + ((e.ts - start) % (5.5 * HOUR_MS)),
    }));
    for (let i = 0; i < events.length; i += 150) await t.app.db.writer.write(events.slice(i, i + 150));
    const watermark = await rolledTo();
    assert.equal(watermark % HOUR_MS, 0);
    assert.ok(watermark <= now && watermark > now - 2 * HOUR_MS, `watermark ${new Date(watermark).toISOString()}`);
    assert.ok(events.some((e) => e.ts >= watermark + 3 * HOUR_MS), 'whole hours after the watermark');
    const pending = events.filter((e) => e.ts >= watermark).length;
    assert.ok(pending > 0 && pending < events.length, `${pending} events after the watermark`);
    await assertRollups(t, watermark);
    for (const table of ['close_rollup_hour', 'code_rollup_hour', 'reason_rollup_hour', 'instance_rollup_hour', 'lifetime_rollup_hour']) {
      const [row] = await t.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE bucket >= ${watermark}`);
      assert.equal(Number(row?.n), 0, `${table} has no row from the watermark on`);
    }
    const before = await statsAnswers(t, windows);
    const [summary] = before as Array<{ total: number }>;
    assert.equal(summary?.total, events.filter((e) => e.ts >= windows[0]!.from - (windows[0]!.from % MINUTE_MS)).length);

    // The roll-up, then reads by a collector started after it (it reads the new watermark).
    assert.equal(await t.app.db.writer.rollUp(now + 5 * HOUR_MS), now + 5 * HOUR_MS - ((now + 5 * HOUR_MS) % HOUR_MS));
    await assertRollups(t, Infinity);
    await t.restart();
    assert.deepEqual(await statsAnswers(t, windows), before);

    // A late close, before the watermark: counted into every level at once.
    const late = makeEvents(5, now - 3 * HOUR_MS).slice(0, 60).map((e) => ({ ...e, ts: now - 1 - (e.ts % (3 * HOUR_MS)) }));
    await t.app.db.writer.write(late);
    await assertRollups(t, Infinity);
    const [total] = await t.query<{ n: number }>('SELECT count(*) AS n FROM close_event');
    assert.equal(Number(total?.n), events.length + late.length);
  });
});

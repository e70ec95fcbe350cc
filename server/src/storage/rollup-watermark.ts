import { emptyRollupDeltas, type CountRollupDelta, type RollupDeltas } from './rollup-deltas.js';
import { int, sql, type Sql } from './sql/template.js';
import { floorTo } from './time-window.js';
import { HOUR_MS, MINUTE_MS } from './types.js';

/**
 * The rollup watermark: the hour and day rollups are written late.
 *
 * Every event is counted into its minute rows in the transaction that stores it. The hour
 * and day rows are sums of those, and counting them per transaction made two thirds of
 * the rows each transaction upserted: every transaction added to the same hot hour and day
 * rows again. Instead, once an hour is over, one roll-up sums its minute rows into hour
 * and day rows and moves the watermark (`rolledTo`, the `setting` row ROLLED_TO_KEY) past it.
 *
 * What holds at every commit:
 * - hour rows exist only for hours before `rolledTo`, and each holds every minute row of its hour;
 * - a day row holds the hours of its day before `rolledTo`;
 * - an event before `rolledTo` (a late one) is counted into every level in its own
 *   transaction, as before the watermark existed.
 *
 * So reads take hour and day rows only for time before `rolledTo`, and minute rows after
 * it. A watermark read a moment ago is still safe to read with: it only moves forward,
 * and the rows before it never lose a count.
 *
 * The watermark starts (migration 20261203120000_rollup_watermark) at the hour after the
 * newest hour row, or at the current hour of an empty database. Retention needs no care:
 * minute rows it deletes before they are rolled up lie in hours and days whose rows it
 * deletes too (every rollup table has the same cut-off).
 */
export const ROLLED_TO_KEY = 'rollups.rolled_to';

/** How long after an hour ends its roll-up waits: a few seconds' late closes still reach it as minute rows. */
export const ROLL_UP_GRACE_MS = 2 * MINUTE_MS;

/** Where a roll-up at `now` moves the watermark to: the start of the last hour over for ROLL_UP_GRACE_MS. */
export function rollUpTarget(now: number): number {
  return floorTo(now - ROLL_UP_GRACE_MS, HOUR_MS);
}

/** The watermark as the `setting` table stores it; none (a database before the migration) writes every level at once. */
export function parseRolledTo(value: unknown): number {
  const n = Number(value);
  return value === undefined || value === null || !Number.isFinite(n) ? Infinity : n;
}

export function readRolledToSql(): Sql {
  return sql`SELECT value FROM setting WHERE key = ${ROLLED_TO_KEY}`;
}

export function saveRolledToSql(rolledTo: number): Sql {
  return sql`UPDATE setting SET value = ${String(rolledTo)} WHERE key = ${ROLLED_TO_KEY}`;
}

/**
 * The first minute with rows at or after `from` (null: none). A roll-up skips the empty hours
 * before it: a watermark left behind by an idle collector moves in one step, not an hour at a time.
 */
export function firstMinuteSql(from: number): Sql {
  return sql`SELECT MIN(bucket) AS bucket FROM close_rollup_minute WHERE bucket >= ${int(from)}`;
}

/**
 * The next span a roll-up sums, from the watermark `from` towards `target`: one hour (so the
 * lock or the writer thread is held for one hour's rows at a time), starting at the hour of
 * `firstMinute` (firstMinuteSql's answer, none when null), when the hours before it are empty.
 */
export function rollUpStep(from: number, target: number, firstMinute: unknown): { from: number; to: number } {
  const start = firstMinute === null || firstMinute === undefined ? target : Math.max(from, Math.min(target, floorTo(Number(firstMinute), HOUR_MS)));
  return { from: start, to: Math.min(target, start + HOUR_MS) };
}

/** The minute rows a roll-up sums, from `from` up to `to`: close, instance and lifetime rows (code and reason rows derive from close rows). */
export function minuteRowsSql(from: number, to: number): { close: Sql; instance: Sql; lifetime: Sql } {
  const range = sql`bucket >= ${int(from)} AND bucket < ${int(to)}`;
  return {
    close: sql`SELECT bucket, service, route, code, initiator, reason_template, count, clean_count, duration_sum_ms, duration_count, bytes_in, bytes_out
      FROM close_rollup_minute WHERE ${range}`,
    instance: sql`SELECT bucket, service, instance, code, count FROM instance_rollup_minute WHERE ${range}`,
    lifetime: sql`SELECT bucket, code, lifetime_bucket, service, count FROM lifetime_rollup_minute WHERE ${range}`,
  };
}

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const text = (v: unknown): string => String(v);

/** Minute rows read back (minuteRowsSql), as the deltas a transaction would have counted: `rollupRows(deltas, { coarserOnly: true })` then gives the hour and day rows. */
export function deltasOfMinuteRows(rows: { close: readonly Row[]; instance: readonly Row[]; lifetime: readonly Row[] }): RollupDeltas {
  const deltas = emptyRollupDeltas();
  for (const r of rows.close) {
    const row = {
      bucket: num(r.bucket),
      service: text(r.service),
      route: text(r.route),
      code: num(r.code),
      initiator: text(r.initiator),
      reasonTemplate: text(r.reason_template),
      count: num(r.count),
      cleanCount: num(r.clean_count),
      durationSumMs: num(r.duration_sum_ms),
      durationCount: num(r.duration_count),
      bytesIn: num(r.bytes_in),
      bytesOut: num(r.bytes_out),
    };
    deltas.closeMinute.set([row.bucket, row.service, row.route, row.code, row.initiator, row.reasonTemplate].join('\u0000'), row);
  }
  const instances = deltas.counts.get('instance_rollup_minute') as Map<string, CountRollupDelta>;
  for (const r of rows.instance) {
    const key = { bucket: num(r.bucket), service: text(r.service), instance: text(r.instance), code: num(r.code) };
    instances.set(Object.values(key).join('\u0000'), { key, count: num(r.count) });
  }
  const lifetimes = deltas.counts.get('lifetime_rollup_minute') as Map<string, CountRollupDelta>;
  for (const r of rows.lifetime) {
    const key = { bucket: num(r.bucket), code: num(r.code), lifetime_bucket: num(r.lifetime_bucket), service: text(r.service) };
    lifetimes.set(Object.values(key).join('\u0000'), { key, count: num(r.count) });
  }
  return deltas;
}

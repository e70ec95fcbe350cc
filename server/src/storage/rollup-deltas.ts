import { lifetimeBucket } from '@closewatch/sdk/lifetime-buckets';
import { RECONNECT_ROLLUPS } from './reconnect-cells.js';
import { DAY_MS } from './time-window.js';
import { HOUR_MS, MINUTE_MS, NO_CODE_SENTINEL, type StoredCloseEvent } from './types.js';

export interface CloseRollupDelta {
  bucket: number;
  service: string;
  route: string;
  code: number;
  initiator: string;
  reasonTemplate: string;
  count: number;
  cleanCount: number;
  durationSumMs: number;
  durationCount: number;
  bytesIn: number;
  bytesOut: number;
}

/** A row of a count-only rollup: its key columns (snake_case, as in SQL) and the count. */
export interface CountRollupDelta {
  key: Record<string, string | number>;
  count: number;
}

/**
 * What a transaction's newly stored events (and its reconnect matching) add to the
 * rollups, at the finest level only: each event is counted once per family, by minute.
 * The hour and day rows, and the code and reason rollups, which are sums of the close
 * rows, are derived from these by `rollupRows`: a batch holds far fewer distinct minute
 * rows than events, so most of the work is done once per row instead of once per event.
 */
export interface RollupDeltas {
  closeMinute: Map<string, CloseRollupDelta>;
  /** Keyed on the table name: the instance and lifetime rollups by minute, and the reconnect cells (see reconnect-cells.ts). */
  counts: Map<string, Map<string, CountRollupDelta>>;
}

/** Every rollup row a transaction adds, by table. */
export interface RollupRows {
  /** close_rollup_minute, close_rollup_hour and close_rollup_day. */
  close: ReadonlyMap<string, ReadonlyMap<string, CloseRollupDelta>>;
  /** Every table of COUNT_ROLLUPS. */
  counts: ReadonlyMap<string, ReadonlyMap<string, CountRollupDelta>>;
}

/** The close rollup tables, finest first. */
export const CLOSE_ROLLUPS = ['close_rollup_minute', 'close_rollup_hour', 'close_rollup_day'] as const;

/** The count-only rollup tables and their key columns, in primary-key order. */
export const COUNT_ROLLUPS: Readonly<Record<string, readonly string[]>> = {
  code_rollup_minute: ['bucket', 'code', 'service'],
  code_rollup_hour: ['bucket', 'code', 'service'],
  code_rollup_day: ['bucket', 'code', 'service'],
  instance_rollup_minute: ['bucket', 'service', 'instance', 'code'],
  instance_rollup_hour: ['bucket', 'service', 'instance', 'code'],
  instance_rollup_day: ['bucket', 'service', 'instance', 'code'],
  reason_rollup_minute: ['bucket', 'code', 'reason_template', 'service'],
  reason_rollup_hour: ['bucket', 'code', 'reason_template', 'service'],
  reason_rollup_day: ['bucket', 'code', 'reason_template', 'service'],
  lifetime_rollup_minute: ['bucket', 'code', 'lifetime_bucket', 'service'],
  lifetime_rollup_hour: ['bucket', 'code', 'lifetime_bucket', 'service'],
  lifetime_rollup_day: ['bucket', 'code', 'lifetime_bucket', 'service'],
  // Written from the reconnect matching, not from each event (see reconnect-cells.ts).
  ...RECONNECT_ROLLUPS,
};

/** The tables counted into directly; the other count tables are derived. */
const COUNTED = ['instance_rollup_minute', 'lifetime_rollup_minute', ...Object.keys(RECONNECT_ROLLUPS)];

export function emptyRollupDeltas(): RollupDeltas {
  return { closeMinute: new Map(), counts: new Map(COUNTED.map((table) => [table, new Map()])) };
}

/** Adds `count` to the row `id` of `map`; `key` (the key columns by name) is kept for a new row only. */
function addCount(map: Map<string, CountRollupDelta>, id: string, key: Record<string, string | number>, count: number): void {
  const row = map.get(id);
  if (row === undefined) map.set(id, { key, count });
  else row.count += count;
}

function addClose(map: Map<string, CloseRollupDelta>, id: string, bucket: number, from: CloseRollupDelta): void {
  const row = map.get(id);
  if (row === undefined) {
    map.set(id, { ...from, bucket });
    return;
  }
  row.count += from.count;
  row.cleanCount += from.cleanCount;
  row.durationSumMs += from.durationSumMs;
  row.durationCount += from.durationCount;
  row.bytesIn += from.bytesIn;
  row.bytesOut += from.bytesOut;
}

/** Counts one newly stored event into the minute rows of its close, instance and lifetime rollups. */
export function addToRollups(deltas: RollupDeltas, e: StoredCloseEvent): void {
  const code = e.code ?? NO_CODE_SENTINEL;
  const minute = e.ts - (e.ts % MINUTE_MS);
  const closeId = `${minute}\u0000${e.service}\u0000${e.route}\u0000${code}\u0000${e.initiator}\u0000${e.reasonTemplate}`;
  let row = deltas.closeMinute.get(closeId);
  if (row === undefined) {
    row = { bucket: minute, service: e.service, route: e.route, code, initiator: e.initiator, reasonTemplate: e.reasonTemplate, count: 0, cleanCount: 0, durationSumMs: 0, durationCount: 0, bytesIn: 0, bytesOut: 0 };
    deltas.closeMinute.set(closeId, row);
  }
  row.count += 1;
  if (e.wasClean) row.cleanCount += 1;
  if (e.durationMs !== null) {
    row.durationSumMs += e.durationMs;
    row.durationCount += 1;
  }
  row.bytesIn += e.bytesIn ?? 0;
  row.bytesOut += e.bytesOut ?? 0;
  const instances = deltas.counts.get('instance_rollup_minute') as Map<string, CountRollupDelta>;
  const instanceId = `${minute}\u0000${e.service}\u0000${e.instance}\u0000${code}`;
  const instance = instances.get(instanceId);
  if (instance === undefined) instances.set(instanceId, { key: { bucket: minute, service: e.service, instance: e.instance, code }, count: 1 });
  else instance.count += 1;
  if (e.durationMs !== null) {
    const lb = lifetimeBucket(e.durationMs);
    const lifetimes = deltas.counts.get('lifetime_rollup_minute') as Map<string, CountRollupDelta>;
    const lifetimeId = `${minute}\u0000${code}\u0000${lb}\u0000${e.service}`;
    const lifetime = lifetimes.get(lifetimeId);
    if (lifetime === undefined) lifetimes.set(lifetimeId, { key: { bucket: minute, code, lifetime_bucket: lb, service: e.service }, count: 1 });
    else lifetime.count += 1;
  }
}

/**
 * Which rows `rollupRows` gives. `rolledTo` is the rollup watermark (see
 * rollup-watermark.ts): hour and day rows are derived only from minute rows before it;
 * those at or after it are rolled up later. `coarserOnly`: the hour and day rows alone
 * (the roll-up, whose minute rows are stored already).
 */
export interface RollupRowsOptions {
  rolledTo?: number;
  coarserOnly?: boolean;
}

/** Every rollup row to write for `deltas`: the minute rows as counted, the rest derived from them. */
export function rollupRows(deltas: RollupDeltas, { rolledTo = Infinity, coarserOnly = false }: RollupRowsOptions = {}): RollupRows {
  const closeHour = new Map<string, CloseRollupDelta>();
  const closeDay = new Map<string, CloseRollupDelta>();
  const counts = new Map<string, Map<string, CountRollupDelta>>(
    Object.keys(COUNT_ROLLUPS).map((table) => [table, coarserOnly ? new Map() : (deltas.counts.get(table) ?? new Map())]),
  );
  const table = (name: string): Map<string, CountRollupDelta> => counts.get(name) as Map<string, CountRollupDelta>;
  const levels = (minute: number): ReadonlyArray<readonly ['minute' | 'hour' | 'day', number]> => {
    const all = [['minute', minute], ['hour', minute - (minute % HOUR_MS)], ['day', minute - (minute % DAY_MS)]] as const;
    const rolled = minute < rolledTo ? all : all.slice(0, 1);
    return coarserOnly ? rolled.slice(1) : rolled;
  };
  for (const r of deltas.closeMinute.values()) {
    const rest = `${r.service}\u0000${r.route}\u0000${r.code}\u0000${r.initiator}\u0000${r.reasonTemplate}`;
    for (const [level, bucket] of levels(r.bucket)) {
      if (level === 'hour') addClose(closeHour, `${bucket}\u0000${rest}`, bucket, r);
      if (level === 'day') addClose(closeDay, `${bucket}\u0000${rest}`, bucket, r);
      addCount(table(`code_rollup_${level}`), `${bucket}\u0000${r.code}\u0000${r.service}`, { bucket, code: r.code, service: r.service }, r.count);
      addCount(
        table(`reason_rollup_${level}`),
        `${bucket}\u0000${r.code}\u0000${r.reasonTemplate}\u0000${r.service}`,
        { bucket, code: r.code, reason_template: r.reasonTemplate, service: r.service },
        r.count,
      );
    }
  }
  for (const family of ['instance', 'lifetime'] as const) {
    const columns = COUNT_ROLLUPS[`${family}_rollup_minute`] as readonly string[];
    for (const r of (deltas.counts.get(`${family}_rollup_minute`) ?? new Map<string, CountRollupDelta>()).values()) {
      for (const [level, bucket] of levels(r.key.bucket as number)) {
        if (level === 'minute') continue;
        const key: Record<string, string | number> = { ...r.key, bucket };
        addCount(table(`${family}_rollup_${level}`), columns.map((c) => key[c]).join('\u0000'), key, r.count);
      }
    }
  }
  return {
    close: new Map(CLOSE_ROLLUPS.map((table, i) => [table, [coarserOnly ? new Map() : deltas.closeMinute, closeHour, closeDay][i] as Map<string, CloseRollupDelta>])),
    counts,
  };
}

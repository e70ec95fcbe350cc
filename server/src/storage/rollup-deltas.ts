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

/** Rollup rows to add for a set of newly stored events, one map per table. */
export interface RollupDeltas {
  closeMinute: Map<string, CloseRollupDelta>;
  closeHour: Map<string, CloseRollupDelta>;
  closeDay: Map<string, CloseRollupDelta>;
  /** Keyed on the table name: the code, instance, reason and lifetime rollups' minute, hour and day tables, and the reconnect cells. */
  counts: Map<string, Map<string, CountRollupDelta>>;
}

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

export function emptyRollupDeltas(): RollupDeltas {
  return {
    closeMinute: new Map(),
    closeHour: new Map(),
    closeDay: new Map(),
    counts: new Map(Object.keys(COUNT_ROLLUPS).map((table) => [table, new Map()])),
  };
}

/**
 * Counts one event into a count-only rollup row: `values` in the order of the table's key
 * columns. The key object is built only for a row the transaction has not seen yet: this
 * runs a dozen times for every event ingested.
 */
function addCount(deltas: RollupDeltas, table: string, values: ReadonlyArray<string | number>): void {
  const map = deltas.counts.get(table) as Map<string, CountRollupDelta>;
  const id = values.join('\u0000');
  const row = map.get(id);
  if (row !== undefined) {
    row.count += 1;
    return;
  }
  const columns = COUNT_ROLLUPS[table] as readonly string[];
  const key: Record<string, string | number> = {};
  columns.forEach((column, i) => (key[column] = values[i] as string | number));
  map.set(id, { key, count: 1 });
}

function addClose(map: Map<string, CloseRollupDelta>, bucket: number, code: number, e: StoredCloseEvent): void {
  const key = `${bucket}\u0000${e.service}\u0000${e.route}\u0000${code}\u0000${e.initiator}\u0000${e.reasonTemplate}`;
  let row = map.get(key);
  if (row === undefined) {
    row = {
      bucket,
      service: e.service,
      route: e.route,
      code,
      initiator: e.initiator,
      reasonTemplate: e.reasonTemplate,
      count: 0,
      cleanCount: 0,
      durationSumMs: 0,
      durationCount: 0,
      bytesIn: 0,
      bytesOut: 0,
    };
    map.set(key, row);
  }
  row.count += 1;
  if (e.wasClean) row.cleanCount += 1;
  if (e.durationMs !== null) {
    row.durationSumMs += e.durationMs;
    row.durationCount += 1;
  }
  row.bytesIn += e.bytesIn ?? 0;
  row.bytesOut += e.bytesOut ?? 0;
}

/** Counts one newly stored event into every rollup it belongs to. */
export function addToRollups(deltas: RollupDeltas, e: StoredCloseEvent): void {
  const code = e.code ?? NO_CODE_SENTINEL;
  const minute = e.ts - (e.ts % MINUTE_MS);
  const hour = e.ts - (e.ts % HOUR_MS);
  const day = e.ts - (e.ts % DAY_MS);
  addClose(deltas.closeMinute, minute, code, e);
  addClose(deltas.closeHour, hour, code, e);
  addClose(deltas.closeDay, day, code, e);
  addCount(deltas, 'code_rollup_minute', [minute, code, e.service]);
  addCount(deltas, 'code_rollup_hour', [hour, code, e.service]);
  addCount(deltas, 'code_rollup_day', [day, code, e.service]);
  addCount(deltas, 'instance_rollup_minute', [minute, e.service, e.instance, code]);
  addCount(deltas, 'instance_rollup_hour', [hour, e.service, e.instance, code]);
  addCount(deltas, 'instance_rollup_day', [day, e.service, e.instance, code]);
  const template = e.reasonTemplate;
  addCount(deltas, 'reason_rollup_minute', [minute, code, template, e.service]);
  addCount(deltas, 'reason_rollup_hour', [hour, code, template, e.service]);
  addCount(deltas, 'reason_rollup_day', [day, code, template, e.service]);
  if (e.durationMs !== null) {
    const lb = lifetimeBucket(e.durationMs);
    addCount(deltas, 'lifetime_rollup_minute', [minute, code, lb, e.service]);
    addCount(deltas, 'lifetime_rollup_hour', [hour, code, lb, e.service]);
    addCount(deltas, 'lifetime_rollup_day', [day, code, lb, e.service]);
  }
}

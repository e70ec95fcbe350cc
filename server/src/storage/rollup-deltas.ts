import { lifetimeBucket } from '@closewatch/sdk/lifetime-buckets';
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

export interface LifetimeRollupDelta {
  bucket: number;
  service: string;
  code: number;
  lifetimeBucket: number;
  count: number;
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
  lifetimeMinute: Map<string, LifetimeRollupDelta>;
  lifetimeHour: Map<string, LifetimeRollupDelta>;
  lifetimeDay: Map<string, LifetimeRollupDelta>;
  /** Keyed on the table name: code_rollup_ and instance_rollup_ minute, hour and day. */
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
};

export function emptyRollupDeltas(): RollupDeltas {
  return {
    closeMinute: new Map(),
    closeHour: new Map(),
    closeDay: new Map(),
    lifetimeMinute: new Map(),
    lifetimeHour: new Map(),
    lifetimeDay: new Map(),
    counts: new Map(Object.keys(COUNT_ROLLUPS).map((table) => [table, new Map()])),
  };
}

function addCount(deltas: RollupDeltas, table: string, key: Record<string, string | number>): void {
  const map = deltas.counts.get(table) as Map<string, CountRollupDelta>;
  const id = Object.values(key).join('\u0000');
  const row = map.get(id);
  if (row === undefined) map.set(id, { key, count: 1 });
  else row.count += 1;
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

function addLifetime(map: Map<string, LifetimeRollupDelta>, bucket: number, code: number, service: string, lb: number): void {
  const key = `${bucket}\u0000${service}\u0000${code}\u0000${lb}`;
  const row = map.get(key);
  if (row === undefined) map.set(key, { bucket, service, code, lifetimeBucket: lb, count: 1 });
  else row.count += 1;
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
  addCount(deltas, 'code_rollup_minute', { bucket: minute, code, service: e.service });
  addCount(deltas, 'code_rollup_hour', { bucket: hour, code, service: e.service });
  addCount(deltas, 'code_rollup_day', { bucket: day, code, service: e.service });
  addCount(deltas, 'instance_rollup_minute', { bucket: minute, service: e.service, instance: e.instance, code });
  addCount(deltas, 'instance_rollup_hour', { bucket: hour, service: e.service, instance: e.instance, code });
  addCount(deltas, 'instance_rollup_day', { bucket: day, service: e.service, instance: e.instance, code });
  if (e.durationMs !== null) {
    const lb = lifetimeBucket(e.durationMs);
    addLifetime(deltas.lifetimeMinute, minute, code, e.service, lb);
    addLifetime(deltas.lifetimeHour, hour, code, e.service, lb);
    addLifetime(deltas.lifetimeDay, day, code, e.service, lb);
  }
}

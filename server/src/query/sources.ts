import { categoryCodeRanges } from '@closewatch/sdk/close-codes';
import { LIFETIME_EDGES_MS } from '@closewatch/sdk/lifetime-buckets';
import { MINUTE_MS, NO_CODE_SENTINEL } from '../storage/rollup-deltas.js';
import { needsRawEvents, type CloseFilters } from './filters.js';
import { and, int, or, Prisma } from './sql.js';
import { rollupSpans, type TimeWindow } from './time-window.js';

/** Which storage answered a read; sent as the `x-closewatch-path` header. */
export type ReadPath = 'rollups' | 'events';

/**
 * A subquery and the storage it reads. Close sources have the columns `bucket` (minute
 * or hour start), `service`, `route`, `code` (-1 for none), `initiator`,
 * `reason_template` and `count`; lifetime sources `bucket`, `service`, `code`,
 * `lifetime_bucket` and `count`. Callers aggregate them with `SUM(count)`.
 */
export interface Source {
  sql: Prisma.Sql;
  path: ReadPath;
}

type CodeColumn = 'rollup' | 'event';

function codeConditions(filters: CloseFilters, column: CodeColumn): Prisma.Sql[] {
  const none = column === 'rollup' ? Prisma.sql`code = ${int(NO_CODE_SENTINEL)}` : Prisma.sql`code IS NULL`;
  const conditions: Prisma.Sql[] = [];
  if (filters.codes !== undefined) {
    const codes = filters.codes.filter((c): c is number => c !== null);
    const parts = codes.length > 0 ? [Prisma.sql`code IN (${Prisma.join(codes.map(int))})`] : [];
    if (filters.codes.includes(null)) parts.push(none);
    conditions.push(or(parts));
  }
  if (filters.category !== undefined) {
    const { ranges, includesNoCode } = categoryCodeRanges(filters.category);
    const parts = ranges.map(([lo, hi]) => (lo === hi ? Prisma.sql`code = ${int(lo)}` : Prisma.sql`code BETWEEN ${int(lo)} AND ${int(hi)}`));
    if (includesNoCode) parts.push(none);
    conditions.push(or(parts));
  }
  return conditions;
}

/** Labels are a JSON object; keys that a JSON path cannot quote are matched through json_each. */
function labelCondition(key: string, value: string): Prisma.Sql {
  if (!/["\\]/.test(key)) return Prisma.sql`json_extract(labels, ${`$."${key}"`}) = ${value}`;
  return Prisma.sql`EXISTS (SELECT 1 FROM json_each(close_event.labels) AS l WHERE l.key = ${key} AND l.value = ${value})`;
}

/** Conditions on `close_event` for every filter (the time range aside). */
export function eventConditions(filters: CloseFilters): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  if (filters.service !== undefined) c.push(Prisma.sql`service = ${filters.service}`);
  if (filters.instance !== undefined) c.push(Prisma.sql`instance = ${filters.instance}`);
  if (filters.route !== undefined) c.push(Prisma.sql`route = ${filters.route}`);
  if (filters.initiator !== undefined) c.push(Prisma.sql`initiator = ${filters.initiator}`);
  c.push(...codeConditions(filters, 'event'));
  if (filters.label !== undefined) c.push(labelCondition(filters.label.key, filters.label.value));
  return c;
}

export function eventRange(window: TimeWindow): Prisma.Sql {
  return Prisma.sql`ts >= ${int(window.from)} AND ts < ${int(window.to)}`;
}

function closeRollupConditions(filters: CloseFilters): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  if (filters.service !== undefined) c.push(Prisma.sql`service = ${filters.service}`);
  if (filters.route !== undefined) c.push(Prisma.sql`route = ${filters.route}`);
  if (filters.initiator !== undefined) c.push(Prisma.sql`initiator = ${filters.initiator}`);
  c.push(...codeConditions(filters, 'rollup'));
  return c;
}

/** UNION ALL of one rollup table pair over a window: hour rows for whole hours, minute rows at the edges. */
function stitchedRollups(
  window: TimeWindow,
  tables: { hour: string; minute: string },
  columns: Prisma.Sql,
  conditions: readonly Prisma.Sql[],
  hoursAllowed: boolean,
): Prisma.Sql {
  const spans = hoursAllowed ? rollupSpans(window) : { hours: null, minutes: [window] };
  const legs: Prisma.Sql[] = [];
  const leg = (table: string, span: TimeWindow): Prisma.Sql =>
    Prisma.sql`SELECT ${columns} FROM ${Prisma.raw(table)}
      WHERE bucket >= ${int(span.from)} AND bucket < ${int(span.to)} AND ${and(conditions)}`;
  if (spans.hours !== null) legs.push(leg(tables.hour, spans.hours));
  for (const span of spans.minutes) legs.push(leg(tables.minute, span));
  return Prisma.join(legs, ' UNION ALL ');
}

/**
 * Closes in a window, from rollups when the filters allow it, else from raw events.
 *
 * @param hours whether hour rollups may be used (false when callers need minute resolution).
 */
export function closeSource(window: TimeWindow, filters: CloseFilters, hours = true): Source {
  if (needsRawEvents(filters)) {
    return {
      path: 'events',
      sql: Prisma.sql`SELECT ts - ts % ${int(MINUTE_MS)} AS bucket, service, route, COALESCE(code, ${int(NO_CODE_SENTINEL)}) AS code,
          initiator, reason_template, 1 AS count
        FROM close_event WHERE ${eventRange(window)} AND ${and(eventConditions(filters))}`,
    };
  }
  return {
    path: 'rollups',
    sql: stitchedRollups(
      window,
      { hour: 'close_rollup_hour', minute: 'close_rollup_minute' },
      Prisma.sql`bucket, service, route, code, initiator, reason_template, count`,
      closeRollupConditions(filters),
      hours,
    ),
  };
}

/** Conditions on the rollups keyed on service and code only (per-code, per-instance, lifetimes). */
function serviceAndCodeConditions(filters: CloseFilters): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filters.service !== undefined) conditions.push(Prisma.sql`service = ${filters.service}`);
  conditions.push(...codeConditions(filters, 'rollup'));
  return conditions;
}

/** Filters the narrow per-code rollups can answer: service and codes only. */
function onlyServiceAndCodes(filters: CloseFilters): boolean {
  return !needsRawEvents(filters) && filters.route === undefined && filters.initiator === undefined;
}

/**
 * Closes per minute with `bucket`, `service`, `code` and `count`, from the narrow
 * per-code minute rollups when the filters allow (day-long timeseries read a few
 * dozen rows a minute there), else from `closeSource`.
 */
export function minuteCodeSource(window: TimeWindow, filters: CloseFilters): Source {
  if (!onlyServiceAndCodes(filters)) return closeSource(window, filters, false);
  const conditions = serviceAndCodeConditions(filters);
  return {
    path: 'rollups',
    sql: Prisma.sql`SELECT bucket, service, code, count FROM code_rollup_minute
      WHERE bucket >= ${int(window.from)} AND bucket < ${int(window.to)} AND ${and(conditions)}`,
  };
}

/**
 * Closes per instance with `service`, `instance`, `code` and `count`, from the instance
 * rollups when the filters allow, else from raw events.
 */
export function instanceSource(window: TimeWindow, filters: CloseFilters): Source {
  if (!onlyServiceAndCodes(filters)) {
    return {
      path: 'events',
      sql: Prisma.sql`SELECT service, instance, COALESCE(code, ${int(NO_CODE_SENTINEL)}) AS code, 1 AS count
        FROM close_event WHERE ${eventRange(window)} AND ${and(eventConditions(filters))}`,
    };
  }
  const conditions = serviceAndCodeConditions(filters);
  return {
    path: 'rollups',
    sql: stitchedRollups(
      window,
      { hour: 'instance_rollup_hour', minute: 'instance_rollup_minute' },
      Prisma.sql`service, instance, code, count`,
      conditions,
      true,
    ),
  };
}

/** The lifetime bucket of `duration_ms`, the same edges as `lifetimeBucket` of the SDK. */
function lifetimeBucketSql(): Prisma.Sql {
  const whens: Prisma.Sql[] = [];
  for (let i = LIFETIME_EDGES_MS.length - 1; i >= 1; i -= 1) {
    whens.push(Prisma.sql`WHEN duration_ms >= ${int(LIFETIME_EDGES_MS[i] as number)} THEN ${int(i)}`);
  }
  return Prisma.sql`CASE ${Prisma.join(whens, ' ')} ELSE 0 END`;
}

/** Lifetimes in a window; lifetime rollups only know service and code, other filters read raw events. */
export function lifetimeSource(window: TimeWindow, filters: CloseFilters): Source {
  if (!onlyServiceAndCodes(filters)) {
    return {
      path: 'events',
      sql: Prisma.sql`SELECT ts - ts % ${int(MINUTE_MS)} AS bucket, service, COALESCE(code, ${int(NO_CODE_SENTINEL)}) AS code,
          ${lifetimeBucketSql()} AS lifetime_bucket, 1 AS count
        FROM close_event WHERE ${eventRange(window)} AND duration_ms IS NOT NULL AND ${and(eventConditions(filters))}`,
    };
  }
  const conditions = serviceAndCodeConditions(filters);
  return {
    path: 'rollups',
    sql: stitchedRollups(
      window,
      { hour: 'lifetime_rollup_hour', minute: 'lifetime_rollup_minute' },
      Prisma.sql`bucket, service, code, lifetime_bucket, count`,
      conditions,
      true,
    ),
  };
}

/** Whether an event's code counts as abnormal (`isAbnormalClose`), as SQL over `close_event.code`. */
export function abnormalEventCondition(): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  for (const category of ['abnormal', 'server-error'] as const) {
    const { ranges, includesNoCode } = categoryCodeRanges(category);
    for (const [lo, hi] of ranges) parts.push(Prisma.sql`code BETWEEN ${int(lo)} AND ${int(hi)}`);
    if (includesNoCode) parts.push(Prisma.sql`code IS NULL`);
  }
  return or(parts);
}

import { categoryCodeRanges } from '@closewatch/sdk/close-codes';
import { LIFETIME_EDGES_MS } from '@closewatch/sdk/lifetime-buckets';
import { MINUTE_MS, needsRawEvents, NO_CODE_SENTINEL, type CloseFilters, type ReadPath, type TimeWindow } from '../types.js';
import type { Dialect } from './dialect.js';
import { rollupLegs, type ReadWindow, type RollupLevel } from '../time-window.js';
import { and, int, join, or, raw, sql, type Sql } from './template.js';

/**
 * A subquery and the storage it reads. Close sources have the columns `bucket` (minute
 * or hour start), `service`, `route`, `code` (-1 for none), `initiator`,
 * `reason_template` and `count`; lifetime sources `bucket`, `service`, `code`,
 * `lifetime_bucket` and `count`. Callers aggregate them with `SUM(count)`.
 */
export interface Source {
  sql: Sql;
  path: ReadPath;
}

type CodeColumn = 'rollup' | 'event';

function codeConditions(filters: CloseFilters, column: CodeColumn): Sql[] {
  const none = column === 'rollup' ? sql`code = ${int(NO_CODE_SENTINEL)}` : sql`code IS NULL`;
  const conditions: Sql[] = [];
  if (filters.codes !== undefined) {
    const codes = filters.codes.filter((c): c is number => c !== null);
    const parts = codes.length > 0 ? [sql`code IN (${join(codes.map(int))})`] : [];
    if (filters.codes.includes(null)) parts.push(none);
    conditions.push(or(parts));
  }
  if (filters.category !== undefined) {
    const { ranges, includesNoCode, include, exclude } = categoryCodeRanges(filters.category, filters.customCodes);
    const parts = ranges.map(([lo, hi]) => (lo === hi ? sql`code = ${int(lo)}` : sql`code BETWEEN ${int(lo)} AND ${int(hi)}`));
    if (includesNoCode) parts.push(none);
    if (include.length > 0) parts.push(sql`code IN (${join(include.map(int))})`);
    conditions.push(or(parts));
    if (exclude.length > 0) conditions.push(sql`code NOT IN (${join(exclude.map(int))})`);
  }
  return conditions;
}

/** The code and category filters as one condition on a source's `code` column (-1 for "no code"). */
export function sourceCodeCondition(filters: CloseFilters): Sql {
  return and(codeConditions(filters, 'rollup'));
}

/**
 * Conditions on `close_event` for every filter (the time range aside), with the read
 * budget check unless the caller bounds the rows scanned itself (`budget: false`).
 */
export function eventConditions(dialect: Dialect, filters: CloseFilters, budget = true): Sql[] {
  const c: Sql[] = [];
  if (filters.service !== undefined) c.push(sql`service = ${filters.service}`);
  if (filters.instance !== undefined) c.push(sql`instance = ${filters.instance}`);
  if (filters.route !== undefined) c.push(sql`route = ${filters.route}`);
  if (filters.initiator !== undefined) c.push(sql`initiator = ${filters.initiator}`);
  c.push(...codeConditions(filters, 'event'));
  if (filters.label !== undefined) c.push(dialect.labelEquals(filters.label.key, filters.label.value));
  if (budget) c.push(dialect.withinBudget);
  return c;
}

export function eventRange(window: TimeWindow): Sql {
  return sql`ts >= ${int(window.from)} AND ts < ${int(window.to)}`;
}

function closeRollupConditions(filters: CloseFilters): Sql[] {
  const c: Sql[] = [];
  if (filters.service !== undefined) c.push(sql`service = ${filters.service}`);
  if (filters.route !== undefined) c.push(sql`route = ${filters.route}`);
  if (filters.initiator !== undefined) c.push(sql`initiator = ${filters.initiator}`);
  c.push(...codeConditions(filters, 'rollup'));
  return c;
}

/** A family of rollup tables, one per resolution (`day` where one is kept). */
interface RollupTables {
  minute: string;
  hour: string;
  day?: string;
}

/**
 * Rows of a source reduced before they are stitched: each rollup leg (and the raw
 * events) is grouped by `bucket` and `keys`, selecting `columns` (which may aggregate
 * `count` and `code`). With `keys` that follow `bucket` in a rollup's primary key,
 * SQLite groups in key order instead of sorting every row; the caller's outer query
 * then aggregates a few rows per bucket (24 h at 10M events: ~56k close rollup rows
 * become ~20 per bucket for the reasons view).
 */
export interface LegGrouping {
  columns: Sql;
  keys: Sql;
  /**
   * The same columns with every figure negated, when all of them are sums of `count`:
   * such a grouping reads a long edge of a window as its whole day minus the rest of it
   * (see rollupLegs), and its caller drops the groups that sum to zero.
   */
  subtracted?: Sql;
}

/** Legs grouped by `keys` with their summed `count`; subtracted legs sum it negated (the caller drops groups of zero). */
function countGrouping(keys: Sql): LegGrouping {
  return { columns: sql`${keys}, SUM(count) AS count`, keys, subtracted: sql`${keys}, SUM(-count) AS count` };
}

/** UNION ALL of one rollup family over a window: day rows for whole days, hour rows for whole hours at their edges, minute rows at the edges of those. */
function stitchedRollups(
  dialect: Dialect,
  window: ReadWindow,
  tables: RollupTables,
  columns: Sql,
  conditions: readonly Sql[],
  coarsest: RollupLevel,
  grouping?: LegGrouping,
): Sql {
  // The budget is checked per group where legs are grouped: on SQLite the check is a
  // JavaScript function, ~0.5 µs a call, as much as the rest of the row's work; a leg
  // grouped in key order still checks every few rows.
  const where = and(grouping === undefined ? [...conditions, dialect.withinBudget] : conditions);
  const groupBy = grouping === undefined ? sql`` : sql` GROUP BY bucket, ${grouping.keys} HAVING ${dialect.withinBudget}`;
  const subtracted = grouping?.subtracted;
  const legs = rollupLegs(window, coarsest === 'day' && tables.day === undefined ? 'hour' : coarsest, subtracted !== undefined, window.rolledTo).map(({ level, span, subtract }) =>
    sql`SELECT ${grouping === undefined ? columns : subtract ? (subtracted as Sql) : grouping.columns} FROM ${raw(tables[level] as string)}
      WHERE bucket >= ${int(span.from)} AND bucket < ${int(span.to)} AND ${where}${groupBy}`,
  );
  return join(legs, ' UNION ALL ');
}

/** Raw event rows (with a `bucket` column), grouped as the rollup legs would be. */
function groupedEvents(rows: Sql, grouping?: LegGrouping): Sql {
  return grouping === undefined ? rows : sql`SELECT ${grouping.columns} FROM (${rows}) AS e GROUP BY bucket, ${grouping.keys}`;
}

/**
 * Closes in a window, from rollups when the filters allow it, else from raw events.
 *
 * @param coarsest the coarsest rollup rows callers can use (`minute` when they need minute
 *   resolution, `hour` for hourly buckets).
 */
export function closeSource(dialect: Dialect, window: ReadWindow, filters: CloseFilters, coarsest: RollupLevel = 'day', grouping?: LegGrouping): Source {
  if (needsRawEvents(filters)) {
    return {
      path: 'events',
      sql: groupedEvents(
        sql`SELECT ts - ts % ${int(MINUTE_MS)} AS bucket, service, route, COALESCE(code, ${int(NO_CODE_SENTINEL)}) AS code,
            initiator, reason_template, 1 AS count
          FROM close_event WHERE ${eventRange(window)} AND ${and(eventConditions(dialect, filters))}`,
        grouping,
      ),
    };
  }
  return {
    path: 'rollups',
    sql: stitchedRollups(
      dialect,
      window,
      { minute: 'close_rollup_minute', hour: 'close_rollup_hour', day: 'close_rollup_day' },
      sql`bucket, service, route, code, initiator, reason_template, count`,
      closeRollupConditions(filters),
      coarsest,
      grouping,
    ),
  };
}

/** Conditions on the rollups keyed on service and code only (per-code, per-instance, lifetimes). */
function serviceAndCodeConditions(filters: CloseFilters): Sql[] {
  const conditions: Sql[] = [];
  if (filters.service !== undefined) conditions.push(sql`service = ${filters.service}`);
  conditions.push(...codeConditions(filters, 'rollup'));
  return conditions;
}

/** Filters the narrow per-code rollups can answer: service and codes only. */
function onlyServiceAndCodes(filters: CloseFilters): boolean {
  return !needsRawEvents(filters) && filters.route === undefined && filters.initiator === undefined;
}

/**
 * Closes with `bucket`, `service`, `code` and `count`, from the narrow per-code rollups
 * when the filters allow (a few dozen rows a minute, a few hundred an hour, instead of
 * every route, initiator and reason template), else from `closeSource`.
 *
 * The per-code rollups are keyed (bucket, code, service): a `grouping` by code runs in
 * key order on SQLite (24 h of 15-minute buckets over 10M events: 158k minute rows).
 */
export function codeSource(dialect: Dialect, window: ReadWindow, filters: CloseFilters, coarsest: RollupLevel = 'day', grouping?: LegGrouping): Source {
  if (!onlyServiceAndCodes(filters)) return closeSource(dialect, window, filters, coarsest, grouping);
  return {
    path: 'rollups',
    sql: stitchedRollups(
      dialect,
      window,
      { minute: 'code_rollup_minute', hour: 'code_rollup_hour', day: 'code_rollup_day' },
      sql`bucket, service, code, count`,
      serviceAndCodeConditions(filters),
      coarsest,
      grouping,
    ),
  };
}

/**
 * Closes with `code`, `reason_template` and `count`, from the reason rollups when the
 * filters allow, each leg grouped by bucket, code and template (their key order), else
 * from `closeSource` grouped the same way.
 */
export function reasonSource(dialect: Dialect, window: ReadWindow, filters: CloseFilters): Source {
  const grouping = countGrouping(sql`code, reason_template`);
  if (!onlyServiceAndCodes(filters)) return closeSource(dialect, window, filters, 'day', grouping);
  return {
    path: 'rollups',
    sql: stitchedRollups(
      dialect,
      window,
      { minute: 'reason_rollup_minute', hour: 'reason_rollup_hour', day: 'reason_rollup_day' },
      sql`code, reason_template, count`,
      serviceAndCodeConditions(filters),
      'day',
      grouping,
    ),
  };
}

/**
 * Closes per instance with `bucket`, `service`, `instance`, `code` and `count`, from the
 * instance rollups when the filters allow, else from raw events.
 */
export function instanceSource(dialect: Dialect, window: ReadWindow, filters: CloseFilters, grouping?: LegGrouping): Source {
  if (!onlyServiceAndCodes(filters)) {
    return {
      path: 'events',
      sql: groupedEvents(
        sql`SELECT ts - ts % ${int(MINUTE_MS)} AS bucket, service, instance, COALESCE(code, ${int(NO_CODE_SENTINEL)}) AS code, 1 AS count
          FROM close_event WHERE ${eventRange(window)} AND ${and(eventConditions(dialect, filters))}`,
        grouping,
      ),
    };
  }
  const conditions = serviceAndCodeConditions(filters);
  return {
    path: 'rollups',
    sql: stitchedRollups(
      dialect,
      window,
      { minute: 'instance_rollup_minute', hour: 'instance_rollup_hour', day: 'instance_rollup_day' },
      sql`bucket, service, instance, code, count`,
      conditions,
      'day',
      grouping,
    ),
  };
}

/** The lifetime bucket of `duration_ms`, the same edges as `lifetimeBucket` of the SDK. */
function lifetimeBucketSql(): Sql {
  const whens: Sql[] = [];
  for (let i = LIFETIME_EDGES_MS.length - 1; i >= 1; i -= 1) {
    whens.push(sql`WHEN duration_ms >= ${int(LIFETIME_EDGES_MS[i] as number)} THEN ${int(i)}`);
  }
  return sql`CASE ${join(whens, ' ')} ELSE 0 END`;
}

/**
 * Lifetimes in a window with `code`, `lifetime_bucket` and `count`; lifetime rollups
 * only know service and code, other filters read raw events. Each rollup leg is grouped
 * by bucket, code and lifetime bucket, their key order.
 */
export function lifetimeSource(dialect: Dialect, window: ReadWindow, filters: CloseFilters): Source {
  const grouping = countGrouping(sql`code, lifetime_bucket`);
  if (!onlyServiceAndCodes(filters)) {
    return {
      path: 'events',
      sql: groupedEvents(
        sql`SELECT ts - ts % ${int(MINUTE_MS)} AS bucket, service, COALESCE(code, ${int(NO_CODE_SENTINEL)}) AS code,
            ${lifetimeBucketSql()} AS lifetime_bucket, 1 AS count
          FROM close_event WHERE ${eventRange(window)} AND duration_ms IS NOT NULL AND ${and(eventConditions(dialect, filters))}`,
        grouping,
      ),
    };
  }
  const conditions = serviceAndCodeConditions(filters);
  return {
    path: 'rollups',
    sql: stitchedRollups(
      dialect,
      window,
      { minute: 'lifetime_rollup_minute', hour: 'lifetime_rollup_hour', day: 'lifetime_rollup_day' },
      sql`bucket, service, code, lifetime_bucket, count`,
      conditions,
      'day',
      grouping,
    ),
  };
}

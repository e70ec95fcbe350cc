import {
  COARSE_STEP_MS,
  COARSE_UNTIL_MS,
  FINE_STEP_MS,
  FINE_UNTIL_MS,
  NOT_RETURNED_STEP,
  WIDE_STEP_EDGES_MS,
} from '../reconnect-cells.js';
import { rollupLegs } from '../time-window.js';
import { RECONNECT_LOOKAHEAD_MS, type CloseFilters, type TimeWindow } from '../types.js';
import type { Dialect } from './dialect.js';
import { toNumber, type Row } from './row.js';
import { eventConditions, sourceCodeCondition } from './sources.js';
import type { RunRead } from './stats-reader.js';
import { and, int, join, raw, sql, type Sql } from './template.js';

/** Reconnect-advising closes of one code, agent and key prefix whose client came back after one delay step (or not: `delayMs` null). */
export interface ReconnectCell {
  code: number;
  agent: string | null;
  keyPrefix: string | null;
  /** Lower edge of the delay's step (100 ms below 5 s, 1 s to a minute, then 1, 2 and 5 min); null: not back within the lookahead. */
  delayMs: number | null;
  count: number;
}

/** One second of a storm: reconnect-advising closes in it, and reconnects (matched next connections) opened in it. */
export interface StormSecond {
  t: number;
  closes: number;
  reconnects: number;
}

/** The delay step of a `reconnect_close` row, as reconnect-cells.ts computes it at ingest. */
function stepSql(): Sql {
  const delay = sql`(next_open - ts)`;
  const wide = [...WIDE_STEP_EDGES_MS].reverse().map((edge) => sql`WHEN ${delay} >= ${int(edge)} THEN ${int(edge)}`);
  return sql`CASE WHEN next_open IS NULL THEN ${int(NOT_RETURNED_STEP)} WHEN next_open < ts THEN 0
    WHEN ${delay} < ${int(FINE_UNTIL_MS)} THEN (${delay} / ${int(FINE_STEP_MS)}) * ${int(FINE_STEP_MS)}
    WHEN ${delay} < ${int(COARSE_UNTIL_MS)} THEN (${delay} / ${int(COARSE_STEP_MS)}) * ${int(COARSE_STEP_MS)}
    ${join(wide, ' ')} END`;
}

/** Filters the reconnect cells and per-second counts cannot answer: they hold every service, route, instance and label. */
function needsCloses(filters: CloseFilters): boolean {
  return filters.service !== undefined || needsEventColumns(filters);
}

/** Filters `reconnect_close` cannot answer alone: they need the close's event row. */
function needsEventColumns(filters: CloseFilters): boolean {
  return (
    filters.instance !== undefined ||
    filters.route !== undefined ||
    filters.label !== undefined ||
    (filters.initiator !== undefined && filters.initiator !== 'server')
  );
}

/** How many of the busiest seconds ever stored a long window's busiest-seconds read takes first. */
const BUSIEST_SECONDS_SCANNED = 5_000;

const nullable = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/**
 * The reconnect view's reads. Every server-initiated 1001/1012/1013 close of a known
 * client is matched at ingest to the same client's next connection of the same service
 * (`reconnect_close`, see reconnect-cells.ts), across every instance: reconnects usually
 * land on another one. Whole hours and days are read from the reconnect cells, the
 * minutes at a window's edges and filtered reads from the matched closes. Both engines,
 * one SQL.
 */
export class ReconnectReader {
  constructor(
    private readonly dialect: Dialect,
    private readonly run: RunRead,
  ) {}

  /** Conditions on `reconnect_close` rows for the filters; the event's own columns through its row. */
  private conditions(filters: CloseFilters): Sql[] {
    if (needsEventColumns(filters)) {
      // Unqualified columns inside resolve to close_event, the nearest table that has them.
      return [sql`EXISTS (SELECT 1 FROM close_event WHERE close_event.seq = r.seq AND ${and(eventConditions(this.dialect, filters, false))})`];
    }
    const c: Sql[] = [sourceCodeCondition(filters)];
    if (filters.service !== undefined) c.push(sql`service = ${filters.service}`);
    return c;
  }

  /** Followed closes in `span` grouped into cells: `code, agent, key_prefix, step, n`. */
  private closeCells(span: TimeWindow, filters: CloseFilters): Sql {
    return sql`SELECT code, agent, key_prefix, ${stepSql()} AS step, COUNT(*) AS n FROM reconnect_close AS r
      WHERE ts >= ${int(span.from)} AND ts < ${int(span.to)} AND ${and(this.conditions(filters))}
      GROUP BY code, agent, key_prefix, step HAVING ${this.dialect.withinBudget}`;
  }

  /** Every reconnect-advising close in the window, counted by code, agent, key prefix and delay step. */
  async delays(window: TimeWindow, filters: CloseFilters): Promise<ReconnectCell[]> {
    const legs = needsCloses(filters)
      ? [this.closeCells(window, filters)]
      : rollupLegs(window, 'day').map(({ level, span }) =>
          level === 'minute'
            ? this.closeCells(span, filters)
            : sql`SELECT code, agent, key_prefix, step, SUM(count) AS n FROM ${raw(`reconnect_rollup_${level}`)}
                WHERE bucket >= ${int(span.from)} AND bucket < ${int(span.to)} AND ${sourceCodeCondition(filters)}
                GROUP BY code, agent, key_prefix, step HAVING ${this.dialect.withinBudget}`,
        );
    const rows = await this.run(sql`SELECT code, agent, key_prefix, step, SUM(n) AS n FROM (${join(legs, ' UNION ALL ')}) AS legs
      GROUP BY code, agent, key_prefix, step HAVING SUM(n) > 0`);
    return rows.map((r: Row) => {
      const step = toNumber(r.step);
      return {
        code: toNumber(r.code),
        agent: nullable(r.agent),
        keyPrefix: nullable(r.key_prefix),
        delayMs: step === NOT_RETURNED_STEP ? null : step,
        count: toNumber(r.n),
      };
    });
  }

  /**
   * Reconnect-advising closes per second of the window: the `limit` busiest seconds,
   * busiest first, the later first among equals. A window longer than `scanned` seconds
   * is first answered from the `scanned` busiest seconds ever stored (an index read): when
   * `limit` of them fall in the window, they are its busiest, since every other second of
   * the window ranks after them. Otherwise, and for shorter windows, every second of the
   * window is read (7 days at 10M events: 540k rows, 180 ms).
   */
  async busiestSeconds(window: TimeWindow, filters: CloseFilters, limit: number, scanned = BUSIEST_SECONDS_SCANNED): Promise<Array<{ t: number; closes: number }>> {
    const everyCode = filters.codes === undefined && filters.category === undefined;
    const perSecond = !needsCloses(filters) && everyCode;
    const secondsOf = (rows: Row[]) => rows.map((r) => ({ t: toNumber(r.t), closes: toNumber(r.n) }));
    if (perSecond && (window.to - window.from) / 1_000 > scanned) {
      const top = await this.run(sql`SELECT t, n FROM (
          SELECT bucket AS t, count AS n FROM reconnect_close_second ORDER BY count DESC, bucket DESC LIMIT ${int(scanned)}) AS top
        WHERE t >= ${int(window.from)} AND t < ${int(window.to)} ORDER BY n DESC, t DESC LIMIT ${int(limit)}`);
      if (top.length === limit) return secondsOf(top);
    }
    const rows = await this.run(
      perSecond
        ? sql`SELECT bucket AS t, count AS n FROM reconnect_close_second
            WHERE bucket >= ${int(window.from)} AND bucket < ${int(window.to)} AND ${this.dialect.withinBudget}
            ORDER BY n DESC, t DESC LIMIT ${int(limit)}`
        : sql`SELECT ts - ts % 1000 AS t, COUNT(*) AS n FROM reconnect_close AS r
            WHERE ts >= ${int(window.from)} AND ts < ${int(window.to)} AND ${and(this.conditions(filters))}
            GROUP BY t HAVING ${this.dialect.withinBudget} ORDER BY n DESC, t DESC LIMIT ${int(limit)}`,
    );
    return secondsOf(rows);
  }

  /**
   * Reconnects opened in each second of `span`, per service: next connections of clients
   * whose reconnect-advising close fell in the lookahead before it.
   */
  async reconnectsBySecond(span: TimeWindow, filters: CloseFilters, closesFrom = span.from - RECONNECT_LOOKAHEAD_MS): Promise<Array<{ service: string; t: number; count: number }>> {
    const rows = await this.run(sql`
      SELECT service, next_open - next_open % 1000 AS t, COUNT(*) AS n FROM reconnect_close AS r
      WHERE ts >= ${int(closesFrom)} AND ts < ${int(span.to)} AND next_open >= ${int(span.from)} AND next_open < ${int(span.to)}
        AND ${and(this.conditions(filters))}
      GROUP BY service, t`);
    return rows.map((r) => ({ service: String(r.service), t: toNumber(r.t), count: toNumber(r.n) }));
  }

  /**
   * Per second of `span`: the reconnect-advising closes in it, and the reconnects opened in
   * it by clients whose close fell in `closesFrom` (the storm's closes and the minutes before).
   */
  async stormSeconds(span: TimeWindow, closesFrom: number, filters: CloseFilters): Promise<StormSecond[]> {
    const closes = await this.run(sql`
      SELECT ts - ts % 1000 AS t, COUNT(*) AS n FROM reconnect_close AS r
      WHERE ts >= ${int(span.from)} AND ts < ${int(span.to)} AND ${and(this.conditions(filters))} GROUP BY t`);
    const reconnects = await this.reconnectsBySecond(span, filters, closesFrom);
    const seconds = new Map<number, StormSecond>();
    for (let t = span.from - (span.from % 1000); t < span.to; t += 1000) seconds.set(t, { t, closes: 0, reconnects: 0 });
    for (const r of closes) {
      const s = seconds.get(toNumber(r.t));
      if (s) s.closes = toNumber(r.n);
    }
    for (const r of reconnects) {
      const s = seconds.get(r.t);
      if (s) s.reconnects += r.count;
    }
    return [...seconds.values()];
  }
}

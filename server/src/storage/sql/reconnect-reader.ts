import { ADVISED_RECONNECT_DELAY_MS, RECONNECT_ADVISING_CODES } from '@closewatch/sdk/close-codes';
import { RECONNECT_LOOKAHEAD_MS, type CloseFilters, type TimeWindow } from '../types.js';
import type { Dialect } from './dialect.js';
import { toNumber, type Row } from './row.js';
import { eventConditions, eventRange } from './sources.js';
import type { RunRead } from './stats-reader.js';
import { and, int, join, raw, sql, type Sql } from './template.js';

/**
 * A connection of the same client opened up to this long before the close still counts
 * as its reconnect: the client may open its next connection (on another instance, whose
 * clock differs a little) before the closing server has seen the TCP connection end.
 */
export const RECONNECT_SKEW_MS = 1_000;

/** Delays are counted to 100 ms below the advised window's start, to the second above it. */
const FINE_STEP_MS = 100;
const COARSE_STEP_MS = 1_000;

/** Reconnect-advising closes of one code, agent and key prefix whose client came back after one delay step (or not: `delayMs` null). */
export interface ReconnectCell {
  code: number;
  agent: string | null;
  keyPrefix: string | null;
  /** Lower edge of the delay's step (100 ms below 5 s, 1 s above); null: not back within the lookahead. */
  delayMs: number | null;
  count: number;
}

/** One second of a storm: reconnect-advising closes in it, and reconnects (matched next connections) opened in it. */
export interface StormSecond {
  t: number;
  closes: number;
  reconnects: number;
}

const NOT_RETURNED = -1;

/**
 * Matches each server-initiated 1001/1012/1013 close to the same client's next connection
 * of the same service (by `client_key`, and the next connection's `opened_at`), across
 * every instance: reconnects usually land on another one. Both engines, one SQL.
 */
export class ReconnectReader {
  constructor(
    private readonly dialect: Dialect,
    private readonly run: RunRead,
  ) {}

  /** The closes to follow: reconnect-advising, server-initiated, from a known client, in the window and the filters. */
  private advisingCloses(window: TimeWindow, filters: CloseFilters): Sql {
    return sql`SELECT seq, ts, code, service, client_key, client_agent FROM ${this.dialect.eventsByIndex('code_ts')}
      WHERE code IN (${join(RECONNECT_ADVISING_CODES.map(int))}) AND ${eventRange(window)} AND initiator = 'server'
        AND client_key IS NOT NULL AND ${and(eventConditions(this.dialect, filters))}`;
  }

  /**
   * When the client of close `c` opened its next connection to the same service, NULL if
   * not within the lookahead: the earliest of the closed connections' opened_at and the
   * open notices of connections that may still be open (the same connection can be in
   * both; MIN takes it once). A notice carries the id of its connection's close event,
   * which tells the closing connection's own notice apart.
   */
  private nextOpen(): Sql {
    // No alias for the inner table: SQLite wants INDEXED BY after it, PostgreSQL has none.
    const n = raw('close_event');
    const o = raw('connection_open');
    const lookahead = (t: Sql): Sql => sql`${t}.client_key = c.client_key AND ${t}.opened_at >= c.ts - ${int(RECONNECT_SKEW_MS)}
        AND ${t}.opened_at < c.ts + ${int(RECONNECT_LOOKAHEAD_MS)} AND ${t}.service = c.service`;
    return sql`(SELECT MIN(opened_at) FROM (
      SELECT MIN(${n}.opened_at) AS opened_at FROM ${this.dialect.eventsByIndex('client_key_opened_at')}
        WHERE ${lookahead(n)} AND ${n}.seq <> c.seq
      UNION ALL
      SELECT MIN(${o}.opened_at) AS opened_at FROM ${o} WHERE ${lookahead(o)}
        AND NOT EXISTS (SELECT 1 FROM close_event AS own WHERE own.seq = c.seq AND own.event_id = ${o}.notice_id AND own.key_id = ${o}.key_id)
      ) AS next_opens)`;
  }

  /** Every reconnect-advising close in the window, counted by code, agent, key prefix and delay step. */
  async delays(window: TimeWindow, filters: CloseFilters): Promise<ReconnectCell[]> {
    const delay = sql`CASE WHEN next_open < ts THEN 0 ELSE next_open - ts END`;
    const step = sql`CASE WHEN next_open IS NULL THEN ${int(NOT_RETURNED)}
      WHEN ${delay} < ${int(ADVISED_RECONNECT_DELAY_MS.from)} THEN (${delay} / ${int(FINE_STEP_MS)}) * ${int(FINE_STEP_MS)}
      ELSE (${delay} / ${int(COARSE_STEP_MS)}) * ${int(COARSE_STEP_MS)} END`;
    const rows = await this.run(sql`
      WITH m AS (
        SELECT c.code AS code, c.client_agent AS agent, ${this.dialect.prefixBeforeColon(raw('c.client_key'))} AS key_prefix,
          c.ts AS ts, ${this.nextOpen()} AS next_open
        FROM (${this.advisingCloses(window, filters)}) AS c)
      SELECT code, agent, key_prefix, ${step} AS step, COUNT(*) AS n FROM m GROUP BY code, agent, key_prefix, step`);
    return rows.map((r: Row) => {
      const step = toNumber(r.step);
      return {
        code: toNumber(r.code),
        agent: r.agent === null || r.agent === undefined ? null : String(r.agent),
        keyPrefix: r.key_prefix === null || r.key_prefix === undefined ? null : String(r.key_prefix),
        delayMs: step === NOT_RETURNED ? null : step,
        count: toNumber(r.n),
      };
    });
  }

  /** Reconnect-advising closes per second of the window: the `limit` busiest seconds, busiest first, the later first among equals. */
  async busiestSeconds(window: TimeWindow, filters: CloseFilters, limit: number): Promise<Array<{ t: number; closes: number }>> {
    const rows = await this.run(sql`
      SELECT ts - ts % 1000 AS t, COUNT(*) AS n FROM (${this.advisingCloses(window, filters)}) AS c
      GROUP BY t ORDER BY n DESC, t DESC LIMIT ${int(limit)}`);
    return rows.map((r) => ({ t: toNumber(r.t), closes: toNumber(r.n) }));
  }

  /**
   * Reconnects opened in each second of `span`, per service: next connections of clients
   * whose reconnect-advising close fell in the lookahead before it.
   */
  async reconnectsBySecond(span: TimeWindow, filters: CloseFilters, closesFrom = span.from - RECONNECT_LOOKAHEAD_MS): Promise<Array<{ service: string; t: number; count: number }>> {
    const rows = await this.run(sql`
      WITH m AS (SELECT c.service AS service, ${this.nextOpen()} AS next_open FROM (${this.advisingCloses({ from: closesFrom, to: span.to }, filters)}) AS c)
      SELECT service, next_open - next_open % 1000 AS t, COUNT(*) AS n FROM m
      WHERE next_open >= ${int(span.from)} AND next_open < ${int(span.to)} GROUP BY service, t`);
    return rows.map((r) => ({ service: String(r.service), t: toNumber(r.t), count: toNumber(r.n) }));
  }

  /**
   * Per second of `span`: the reconnect-advising closes in it, and the reconnects opened in
   * it by clients whose close fell in `closesFrom` (the storm's closes and the minutes before).
   */
  async stormSeconds(span: TimeWindow, closesFrom: number, filters: CloseFilters): Promise<StormSecond[]> {
    const closes = await this.run(sql`
      SELECT ts - ts % 1000 AS t, COUNT(*) AS n FROM (${this.advisingCloses(span, filters)}) AS c GROUP BY t`);
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

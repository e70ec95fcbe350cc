import { HOUR_MS, type CloseFilters, type Read, type TimeWindow } from '../types.js';
import type { Dialect } from './dialect.js';
import { toCode, toNumber, toText, type Row } from './row.js';
import { closeSource, eventConditions, eventRange, instanceSource, lifetimeSource, minuteCodeSource } from './sources.js';
import { and, int, join, raw, sql, type Sql } from './template.js';

/** Runs one read statement on the engine (within its read budget) and returns its rows. */
export type RunRead = (query: Sql) => Promise<Row[]>;

export interface CodeCount {
  code: number | null;
  count: number;
}

/** Closes of one bucket start `t` and one key (a code, or a service name). */
export interface TimeseriesCell<K> {
  t: number;
  key: K;
  count: number;
}

export interface TemplateCount {
  code: number | null;
  template: string;
  count: number;
}

export interface ExamplesWanted {
  code: number | null;
  templates: readonly string[];
}

export interface ReasonExample {
  code: number | null;
  template: string;
  reason: string;
}

export interface RouteCount {
  service: string;
  route: string;
  code: number | null;
  count: number;
}

export interface InstanceCount {
  service: string;
  instance: string;
  code: number | null;
  count: number;
}

export interface LifetimeCount {
  code: number | null;
  lifetimeBucket: number;
  count: number;
}

/** SQLite allows 500 terms in a compound SELECT; codes with reasons are far fewer in practice. */
const MAX_CODES_PER_STATEMENT = 100;

/**
 * The aggregates the query API shapes into answers, from rollups wherever the filters
 * allow and from raw events otherwise. The SQL is shared by both engines; `dialect`
 * holds what differs and `run` executes on the engine's read connections.
 */
export class StatsReader {
  constructor(
    private readonly dialect: Dialect,
    private readonly run: RunRead,
  ) {}

  /** Closes per code. */
  async codeCounts(window: TimeWindow, filters: CloseFilters): Promise<Read<CodeCount>> {
    const source = closeSource(this.dialect, window, filters);
    const rows = await this.run(sql`SELECT code, SUM(count) AS n FROM (${source.sql}) AS s GROUP BY code`);
    return { rows: rows.map((r) => ({ code: toCode(r.code), count: toNumber(r.n) })), path: source.path };
  }

  /** Closes per bucket of `bucketMs` (aligned to the epoch) and per code. */
  async timeseriesByCode(window: TimeWindow, filters: CloseFilters, bucketMs: number): Promise<Read<TimeseriesCell<number | null>>> {
    const { rows, path } = await this.timeseries(window, filters, bucketMs, sql`code`);
    return { rows: rows.map((r) => ({ t: toNumber(r.t), key: toCode(r.k), count: toNumber(r.n) })), path };
  }

  /** Closes per bucket of `bucketMs` (aligned to the epoch) and per service. */
  async timeseriesByService(window: TimeWindow, filters: CloseFilters, bucketMs: number): Promise<Read<TimeseriesCell<string>>> {
    const { rows, path } = await this.timeseries(window, filters, bucketMs, sql`service`);
    return { rows: rows.map((r) => ({ t: toNumber(r.t), key: toText(r.k), count: toNumber(r.n) })), path };
  }

  /** Closes per code and reason template. */
  async templateCounts(window: TimeWindow, filters: CloseFilters): Promise<Read<TemplateCount>> {
    const source = closeSource(this.dialect, window, filters);
    const rows = await this.run(
      sql`SELECT code, reason_template AS template, SUM(count) AS n FROM (${source.sql}) AS s GROUP BY code, reason_template`,
    );
    return { rows: rows.map((r) => ({ code: toCode(r.code), template: toText(r.template), count: toNumber(r.n) })), path: source.path };
  }

  /**
   * Up to `perTemplate` distinct raw reasons per wanted (code, template), the most
   * recent first, from a bounded newest-first scan of at most `scanRows` closes per
   * code (the (code, ts) index), reduced in SQL so only the examples come back.
   */
  async reasonExamples(
    window: TimeWindow,
    filters: CloseFilters,
    wanted: readonly ExamplesWanted[],
    perTemplate: number,
    scanRows: number,
  ): Promise<ReasonExample[]> {
    const out: ReasonExample[] = [];
    for (let i = 0; i < wanted.length; i += MAX_CODES_PER_STATEMENT) {
      const scans = wanted.slice(i, i + MAX_CODES_PER_STATEMENT).map(({ code, templates }, n) => {
        const codeCondition = code === null ? sql`code IS NULL` : sql`code = ${int(code)}`;
        return sql`SELECT * FROM (
            SELECT code, reason_template, reason, ts FROM close_event
            WHERE ${codeCondition} AND ${eventRange(window)} AND ${and(eventConditions(this.dialect, filters))}
            ORDER BY ts DESC LIMIT ${int(scanRows)}
          ) AS ${raw(`scan${n}`)} WHERE reason_template IN (${join([...templates])})`;
      });
      const rows = await this.run(
        sql`SELECT code, reason_template, reason FROM (
            SELECT code, reason_template, reason,
              ROW_NUMBER() OVER (PARTITION BY code, reason_template ORDER BY last DESC, reason) AS rank
            FROM (SELECT code, reason_template, reason, MAX(ts) AS last FROM (${join(scans, ' UNION ALL ')}) AS scans
                  GROUP BY code, reason_template, reason) AS distinct_reasons
          ) AS ranked WHERE rank <= ${int(perTemplate)} ORDER BY code, reason_template, rank`,
      );
      for (const r of rows) out.push({ code: toCode(r.code), template: toText(r.reason_template), reason: toText(r.reason) });
    }
    return out;
  }

  /** Closes per service, route and code. */
  async routeCounts(window: TimeWindow, filters: CloseFilters): Promise<Read<RouteCount>> {
    const source = closeSource(this.dialect, window, filters);
    const rows = await this.run(
      sql`SELECT service, route, code, SUM(count) AS n FROM (${source.sql}) AS s GROUP BY service, route, code`,
    );
    return {
      rows: rows.map((r) => ({ service: toText(r.service), route: toText(r.route), code: toCode(r.code), count: toNumber(r.n) })),
      path: source.path,
    };
  }

  /** Closes per service, instance and code. */
  async instanceCounts(window: TimeWindow, filters: CloseFilters): Promise<Read<InstanceCount>> {
    const source = instanceSource(this.dialect, window, filters);
    const rows = await this.run(
      sql`SELECT service, instance, code, SUM(count) AS n FROM (${source.sql}) AS s GROUP BY service, instance, code`,
    );
    return {
      rows: rows.map((r) => ({ service: toText(r.service), instance: toText(r.instance), code: toCode(r.code), count: toNumber(r.n) })),
      path: source.path,
    };
  }

  /** Closes with a known lifetime, per code and lifetime bucket (edges in the registry). */
  async lifetimeCounts(window: TimeWindow, filters: CloseFilters): Promise<Read<LifetimeCount>> {
    const source = lifetimeSource(this.dialect, window, filters);
    const rows = await this.run(
      sql`SELECT code, lifetime_bucket AS lb, SUM(count) AS n FROM (${source.sql}) AS s GROUP BY code, lifetime_bucket`,
    );
    return {
      rows: rows.map((r) => ({ code: toCode(r.code), lifetimeBucket: toNumber(r.lb), count: toNumber(r.n) })),
      path: source.path,
    };
  }

  private async timeseries(window: TimeWindow, filters: CloseFilters, bucketMs: number, column: Sql): Promise<Read<Row>> {
    // Hour rollups fit only when every hour lies inside one bucket; finer buckets read
    // the narrow per-code minute rollups.
    const source = bucketMs % HOUR_MS === 0 ? closeSource(this.dialect, window, filters, true) : minuteCodeSource(this.dialect, window, filters);
    const b = int(bucketMs);
    const rows = await this.run(sql`SELECT (bucket / ${b}) * ${b} AS t, ${column} AS k, SUM(count) AS n FROM (${source.sql}) AS s GROUP BY t, k`);
    return { rows, path: source.path };
  }
}

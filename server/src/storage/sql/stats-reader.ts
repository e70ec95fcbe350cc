import { parseRolledTo, readRolledToSql } from '../rollup-watermark.js';
import { DAY_MS, type ReadWindow } from '../time-window.js';
import { HOUR_MS, OTHER_CODE, type CloseFilters, type Read, type TimeWindow } from '../types.js';
import { categoryIndexSql, severityColumns } from './code-sql.js';
import type { Dialect } from './dialect.js';
import { toCode, toNumber, toText, type Row } from './row.js';
import { closeSource, codeSource, eventConditions, eventRange, instanceSource, lifetimeSource, reasonSource, type LegGrouping, type Source } from './sources.js';
import { and, int, join, raw, sql, type Sql } from './template.js';

/** Runs one read statement on the engine (within its read budget) and returns its rows. */
export type RunRead = (query: Sql) => Promise<Row[]>;

export interface CodeCount {
  code: number | null;
  count: number;
}

/** Closes of one bucket start `t` and one key, or of every group beyond the top ones (`other`). */
export type TimeseriesCell<K> = { t: number; count: number; other: false; key: K } | { t: number; count: number; other: true };

/** A timeseries of the top groups; `otherGroups` more were summed into the cells with a null key. */
export interface TimeseriesRead<K> extends Read<TimeseriesCell<K>> {
  otherGroups: number;
}

export interface TemplateCount {
  template: string;
  count: number;
}

/** One code of the reasons answer: its total, its top templates and what the rest add up to. */
export interface CodeTemplates {
  code: number | null;
  count: number;
  templates: TemplateCount[];
  otherTemplates: { templates: number; count: number };
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

/** The four figures of a group. */
export interface SeverityCounts {
  total: number;
  abnormal: number;
  error: number;
  again: number;
}

/** The groups beyond the top ones, summed. */
export interface OtherGroups extends SeverityCounts {
  groups: number;
}

export interface GroupedRead<G> extends Read<G & SeverityCounts> {
  other: OtherGroups;
}

export type BreakdownGroup = 'route' | 'instance';

export interface LifetimeCount {
  code: number | null;
  lifetimeBucket: number;
  count: number;
}

export interface LifetimesRead extends Read<LifetimeCount> {
  /** Codes beyond the top ones; their closes are the rows with `code` -2 (see `OTHER_CODE`). */
  otherCodes: number;
}

/** SQLite allows 500 terms in a compound SELECT; codes with reasons are far fewer in practice. */
const MAX_CODES_PER_STATEMENT = 100;

/** A timeseries row whose key is SQL NULL sums the groups beyond the top ones (no real key is NULL: "no code" is -1). */
function cell<K>(r: Row, key: (value: unknown) => K): TimeseriesCell<K> {
  const base = { t: toNumber(r.t), count: toNumber(r.n) };
  return r.k === null || r.k === undefined ? { ...base, other: true } : { ...base, other: false, key: key(r.k) };
}

const severity = (r: Row): SeverityCounts => ({
  total: toNumber(r.total),
  abnormal: toNumber(r.abnormal),
  error: toNumber(r.error),
  again: toNumber(r.again),
});

/**
 * The aggregates the query API shapes into answers, from rollups wherever the filters
 * allow and from raw events otherwise. Every read that lists groups (codes, services,
 * routes, instances, templates) keeps the top ones in SQL and sums the rest, so neither
 * the rows read back nor the answer grow with what clients send. The SQL is shared by
 * both engines; `dialect` holds what differs and `run` executes on the engine's read
 * connections.
 */
/** How long a read watermark is used before it is read again. */
const WATERMARK_TTL_MS = 5_000;

export class StatsReader {
  /** The rollup watermark as last read, and when (see `rolled`). */
  private watermark: { rolledTo: number; readAt: number } | null = null;

  constructor(
    private readonly dialect: Dialect,
    private readonly run: RunRead,
  ) {}

  /**
   * `window` with the rollup watermark: hour and day rollups are read only before it. The
   * watermark is read again after WATERMARK_TTL_MS; one read a little earlier is as exact,
   * since it only moves forward (rollup-watermark.ts).
   */
  private async rolled(window: TimeWindow): Promise<ReadWindow> {
    const now = Date.now();
    if (this.watermark === null || now - this.watermark.readAt > WATERMARK_TTL_MS) {
      const [row] = await this.run(readRolledToSql());
      this.watermark = { rolledTo: parseRolledTo(row?.value), readAt: now };
    }
    return { ...window, rolledTo: this.watermark.rolledTo };
  }

  /** Closes per code (at most 65,537 rows: every code and "none"). */
  async codeCounts(window: TimeWindow, filters: CloseFilters): Promise<Read<CodeCount>> {
    const source = codeSource(this.dialect, await this.rolled(window), filters);
    const rows = await this.run(sql`SELECT code, SUM(count) AS n FROM (${source.sql}) AS s GROUP BY code`);
    return { rows: rows.map((r) => ({ code: toCode(r.code), count: toNumber(r.n) })), path: source.path };
  }

  /** Closes per bucket of `bucketMs` (aligned to the epoch) and category (its index in CLOSE_CATEGORIES). */
  async timeseriesByCategory(window: TimeWindow, filters: CloseFilters, bucketMs: number): Promise<Read<TimeseriesCell<number>>> {
    const source = this.timeseriesSource(await this.rolled(window), filters, bucketMs);
    const b = int(bucketMs);
    const rows = await this.run(
      sql`SELECT (bucket / ${b}) * ${b} AS t, ${categoryIndexSql(filters.customCodes)} AS k, SUM(count) AS n FROM (${source.sql}) AS s GROUP BY t, k`,
    );
    return { rows: rows.map((r) => ({ t: toNumber(r.t), key: toNumber(r.k), count: toNumber(r.n), other: false as const })), path: source.path };
  }

  /** Closes per bucket and code, for the `top` codes by count; the others summed with a null key. */
  async timeseriesByCode(window: TimeWindow, filters: CloseFilters, bucketMs: number, top: number): Promise<TimeseriesRead<number | null>> {
    const { rows, path, otherGroups } = await this.topTimeseries(window, filters, bucketMs, 'code', top);
    return { rows: rows.map((r) => cell(r, toCode)), path, otherGroups };
  }

  /** Closes per bucket and service, for the `top` services by count; the others summed with a null key. */
  async timeseriesByService(window: TimeWindow, filters: CloseFilters, bucketMs: number, top: number): Promise<TimeseriesRead<string>> {
    const { rows, path, otherGroups } = await this.topTimeseries(window, filters, bucketMs, 'service', top);
    return { rows: rows.map((r) => cell(r, toText)), path, otherGroups };
  }

  /**
   * The `topCodes` codes by count, each with its `perCode` most frequent reason templates
   * and the sum of its other templates; `otherCodes` sums the codes beyond.
   */
  async templates(
    window: TimeWindow,
    filters: CloseFilters,
    topCodes: number,
    perCode: number,
  ): Promise<Read<CodeTemplates> & { otherCodes: { codes: number; count: number } }> {
    const source = reasonSource(this.dialect, await this.rolled(window), filters);
    const rows = await this.run(sql`
      WITH t AS (SELECT code, reason_template AS template, SUM(count) AS n FROM (${source.sql}) AS s GROUP BY code, reason_template HAVING SUM(count) > 0),
      c AS (SELECT code, SUM(n) AS code_total, COUNT(*) AS templates FROM t GROUP BY code),
      rc AS (SELECT code, code_total, templates, ROW_NUMBER() OVER (ORDER BY code_total DESC, code) AS code_rank FROM c),
      rt AS (SELECT t.code, t.template, t.n, ROW_NUMBER() OVER (PARTITION BY t.code ORDER BY t.n DESC, t.template) AS rank
             FROM t JOIN rc ON rc.code = t.code WHERE rc.code_rank <= ${int(topCodes)})
      SELECT rc.code, rc.code_total, rc.templates, rc.code_rank, rt.template, rt.n, rt.rank
        FROM rc LEFT JOIN rt ON rt.code = rc.code AND rt.rank <= ${int(perCode)}
        WHERE rc.code_rank <= ${int(topCodes)}
      UNION ALL
      SELECT NULL, SUM(code_total), COUNT(*), NULL, NULL, NULL, NULL FROM rc WHERE code_rank > ${int(topCodes)}
      ORDER BY 4, 7`);
    const codes = new Map<number, CodeTemplates>();
    let otherCodes = { codes: 0, count: 0 };
    for (const r of rows) {
      if (r.code_rank === null || r.code_rank === undefined) {
        otherCodes = { codes: toNumber(r.templates), count: toNumber(r.code_total) };
        continue;
      }
      const rank = toNumber(r.code_rank);
      let entry = codes.get(rank);
      if (entry === undefined) {
        entry = { code: toCode(r.code), count: toNumber(r.code_total), templates: [], otherTemplates: { templates: toNumber(r.templates), count: toNumber(r.code_total) } };
        codes.set(rank, entry);
      }
      if (r.template !== null && r.template !== undefined) {
        const count = toNumber(r.n);
        entry.templates.push({ template: toText(r.template), count });
        entry.otherTemplates.templates -= 1;
        entry.otherTemplates.count -= count;
      }
    }
    return { rows: [...codes.values()], otherCodes, path: source.path };
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
        const closes = code === null ? sql`code IS NULL AND ${eventRange(window)}` : this.dialect.closesOfCode(code, window);
        return sql`SELECT * FROM (
            SELECT code, reason_template, reason, ts FROM close_event
            WHERE ${closes} AND ${and(eventConditions(this.dialect, filters))}
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

  /** The `top` routes or instances (each with its service) by closes, with their four figures (services: `routesAndServices`). */
  async breakdown(window: TimeWindow, filters: CloseFilters, group: 'route', top: number): Promise<GroupedRead<{ service: string; route: string }>>;
  async breakdown(window: TimeWindow, filters: CloseFilters, group: 'instance', top: number): Promise<GroupedRead<{ service: string; instance: string }>>;
  async breakdown(
    window: TimeWindow,
    filters: CloseFilters,
    group: BreakdownGroup,
    top: number,
  ): Promise<GroupedRead<{ service: string; route?: string; instance?: string }>> {
    const keys = ['service', group];
    const grouping = severityGrouping(keys);
    const rolled = await this.rolled(window);
    const source = group === 'instance' ? instanceSource(this.dialect, rolled, filters, grouping) : closeSource(this.dialect, rolled, filters, 'day', grouping);
    const rows = await this.run(sql`
      WITH g AS (${groupSeverity(source, keys)}),
      ${rankedGroups('r', 'g', keys)}
      ${topAndOther('r', keys, top)}
      ORDER BY 1, 2, 3`);
    return { ...readGroups(rows, keys), path: source.path };
  }

  /**
   * The `top` routes and the `top` services by closes in one pass over the close
   * rollups: a service's figures are the sums of its routes'. Half the rows the two
   * reads of `breakdown` would scan (the service read sorts the per-code rollups).
   */
  async routesAndServices(
    window: TimeWindow,
    filters: CloseFilters,
    top: number,
  ): Promise<{ routes: GroupedRead<{ service: string; route: string }>; services: GroupedRead<{ service: string }> }> {
    const routeKeys = ['service', 'route'];
    const serviceKeys = ['service'];
    const source = closeSource(this.dialect, await this.rolled(window), filters, 'day', severityGrouping(routeKeys));
    const rows = await this.run(sql`
      WITH g AS (${groupSeverity(source, routeKeys)}),
      sg AS (SELECT service, SUM(total) AS total, SUM(abnormal) AS abnormal, SUM(error) AS error, SUM(again) AS again FROM g GROUP BY service),
      ${rankedGroups('r', 'g', routeKeys)},
      ${rankedGroups('sr', 'sg', serviceKeys)}
      ${topAndOther('r', routeKeys, top, 'route')}
      UNION ALL
      ${topAndOther('sr', serviceKeys, top, 'service')}
      ORDER BY 1, 2, 3`);
    const kind = (wanted: string) => rows.filter((r) => r.kind === wanted);
    return {
      routes: { ...readGroups(kind('route'), routeKeys), path: source.path } as GroupedRead<{ service: string; route: string }>,
      services: { ...readGroups(kind('service'), serviceKeys), path: source.path },
    };
  }

  /** Closes with a known lifetime per lifetime bucket (edges in the registry), for the `top` codes; the rest as code -2. */
  async lifetimeCounts(window: TimeWindow, filters: CloseFilters, top: number): Promise<LifetimesRead> {
    const source = lifetimeSource(this.dialect, await this.rolled(window), filters);
    // One pass over the source: the codes are ranked from the small grouped rows, not
    // by grouping the source again per question.
    const rows = await this.run(sql`
      WITH g AS (SELECT code, lifetime_bucket AS lb, SUM(count) AS n FROM (${source.sql}) AS s GROUP BY code, lifetime_bucket HAVING SUM(count) > 0),
      ranked AS (SELECT code, ROW_NUMBER() OVER (ORDER BY SUM(n) DESC, code) AS code_rank, COUNT(*) OVER () AS codes FROM g GROUP BY code)
      SELECT CASE WHEN ranked.code_rank <= ${int(top)} THEN g.code ELSE ${int(OTHER_CODE)} END AS c, g.lb AS lb, SUM(g.n) AS n, MAX(ranked.codes) AS codes
      FROM g JOIN ranked ON ranked.code = g.code GROUP BY 1, 2`);
    const codes = toNumber(rows[0]?.codes);
    return {
      rows: rows.map((r) => ({ code: toNumber(r.c) === OTHER_CODE ? OTHER_CODE : toCode(r.c), lifetimeBucket: toNumber(r.lb), count: toNumber(r.n) })),
      otherCodes: Math.max(0, codes - top),
      path: source.path,
    };
  }

  /** Rows with `bucket`, `code`, `count` (and `service` when `byService`) for series of `bucketMs` buckets. */
  private timeseriesSource(window: ReadWindow, filters: CloseFilters, bucketMs: number, byService = false): Source {
    // Day (hour) rollups fit only when every day (hour) lies inside one bucket.
    const coarsest = bucketMs % DAY_MS === 0 ? 'day' : bucketMs % HOUR_MS === 0 ? 'hour' : 'minute';
    return codeSource(this.dialect, window, filters, coarsest, byService ? undefined : { columns: sql`bucket, code, SUM(count) AS count`, keys: sql`code` });
  }

  private async topTimeseries(
    window: TimeWindow,
    filters: CloseFilters,
    bucketMs: number,
    key: 'code' | 'service',
    top: number,
  ): Promise<{ rows: Row[]; path: Source['path']; otherGroups: number }> {
    const source = this.timeseriesSource(await this.rolled(window), filters, bucketMs, key === 'service');
    const b = int(bucketMs);
    const column = raw(key);
    const rows = await this.run(sql`
      WITH g AS (SELECT (bucket / ${b}) * ${b} AS t, ${column} AS k, SUM(count) AS n FROM (${source.sql}) AS s GROUP BY 1, 2),
      ranked AS (SELECT k, ROW_NUMBER() OVER (ORDER BY SUM(n) DESC, k) AS key_rank, COUNT(*) OVER () AS groups FROM g GROUP BY k)
      SELECT g.t AS t, CASE WHEN ranked.key_rank <= ${int(top)} THEN g.k END AS k, SUM(g.n) AS n, MAX(ranked.groups) AS groups
      FROM g JOIN ranked ON ranked.k = g.k GROUP BY 1, 2`);
    return { rows, path: source.path, otherGroups: Math.max(0, toNumber(rows[0]?.groups) - top) };
  }
}

function keyOrder(a: object, b: object, keys: readonly string[]): number {
  for (const k of keys) {
    const x = String((a as Record<string, unknown>)[k]);
    const y = String((b as Record<string, unknown>)[k]);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Each leg of a breakdown's source sums its rows per bucket and group first: the close
 * and instance rollups are keyed (bucket, service, route or instance, ...), so SQLite
 * does that in key order, and the severity figures are computed once per group.
 */
function severityGrouping(keys: readonly string[]): LegGrouping {
  const keyList = raw(keys.join(', '));
  return { columns: sql`${keyList}, ${severityColumns()}`, keys: keyList, subtracted: sql`${keyList}, ${severityColumns(sql`(-count)`)}` };
}

/** The source's legs (grouped by `severityGrouping`) summed per group; groups that a subtracted leg cancels are none of the window's. */
function groupSeverity(source: Source, keys: readonly string[]): Sql {
  const keyList = raw(keys.join(', '));
  return sql`SELECT ${keyList}, SUM(total) AS total, SUM(abnormal) AS abnormal, SUM(error) AS error, SUM(again) AS again
    FROM (${source.sql}) AS s GROUP BY ${keyList} HAVING SUM(total) > 0`;
}

/** A CTE `name` with the groups of `from` ranked by total (then by key). */
function rankedGroups(name: string, from: string, keys: readonly string[]): Sql {
  return sql`${raw(name)} AS (SELECT x.*, ROW_NUMBER() OVER (ORDER BY total DESC, ${raw(keys.join(', '))}) AS rank FROM ${raw(from)} AS x)`;
}

/**
 * The `top` groups of ranked CTE `name`, then one row summing the rest (keys NULL,
 * `rank` the number of groups summed). Rows have `kind`, service, route-or-instance,
 * the four figures and `rank`.
 */
function topAndOther(name: string, keys: readonly string[], top: number, kind = 'group'): Sql {
  const second = keys.length > 1 ? raw(keys[1] as string) : raw('NULL');
  const table = raw(name);
  return sql`SELECT ${raw(`'${kind}'`)} AS kind, service, ${second} AS k2, total, abnormal, error, again, rank FROM ${table} WHERE rank <= ${int(top)}
    UNION ALL
    SELECT ${raw(`'${kind}'`)}, NULL, NULL, SUM(total), SUM(abnormal), SUM(error), SUM(again), COUNT(*) FROM ${table} WHERE rank > ${int(top)}`;
}

/** The groups (largest first) and the summed rest, from rows of `topAndOther`. */
function readGroups(rows: readonly Row[], keys: readonly string[]): { rows: Array<{ service: string; route?: string; instance?: string } & SeverityCounts>; other: OtherGroups } {
  const groups: Array<{ service: string; route?: string; instance?: string } & SeverityCounts> = [];
  let other: OtherGroups = { groups: 0, total: 0, abnormal: 0, error: 0, again: 0 };
  for (const r of rows) {
    if (r.service === null || r.service === undefined) {
      other = { groups: toNumber(r.rank), ...severity(r) };
      continue;
    }
    const row: { service: string; route?: string; instance?: string } & SeverityCounts = { service: toText(r.service), ...severity(r) };
    if (keys[1] === 'route') row.route = toText(r.k2);
    if (keys[1] === 'instance') row.instance = toText(r.k2);
    groups.push(row);
  }
  groups.sort((a, b) => b.total - a.total || keyOrder(a, b, keys));
  return { rows: groups, other };
}

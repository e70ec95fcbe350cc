import type { CloseFilters, TimeWindow } from '../types.js';
import type { Dialect } from './dialect.js';
import { toCode, toNumber, toText } from './row.js';
import { closeSource, sourceCodeCondition } from './sources.js';
import type { RunRead } from './stats-reader.js';
import { int, raw, sql } from './template.js';

export interface CodeMinute {
  bucket: number;
  service: string;
  code: number | null;
  count: number;
}

export interface SelectionMinute {
  bucket: number;
  service: string;
  route: string;
  /** Closes matching the codes/category of the selection. */
  selected: number;
  /** All closes of the context (the selection without its codes). */
  total: number;
}

/** What alert evaluation reads: one-minute buckets, from rollups unless a filter needs raw events. */
export class AlertReader {
  constructor(
    private readonly dialect: Dialect,
    private readonly run: RunRead,
  ) {}

  /**
   * Every service's closes per minute and code in a window, from the narrow per-code
   * minute rollups: one read serves every rule that selects by codes, category and service.
   */
  async codeMinutes(window: TimeWindow): Promise<CodeMinute[]> {
    const rows = await this.run(sql`SELECT bucket, service, code, count FROM code_rollup_minute
      WHERE bucket >= ${int(window.from)} AND bucket < ${int(window.to)} AND ${this.dialect.withinBudget}`);
    return rows.map((r) => ({ bucket: toNumber(r.bucket), service: toText(r.service), code: toCode(r.code), count: toNumber(r.count) }));
  }

  /**
   * Closes per minute of one selection, grouped by service (and route): how many match its
   * codes/category and how many there were in all in its context.
   */
  async selectionMinutes(window: TimeWindow, context: CloseFilters, selection: CloseFilters, byRoute: boolean): Promise<SelectionMinute[]> {
    const source = closeSource(this.dialect, window, context, 'minute');
    const groups = raw(byRoute ? 'bucket, service, route' : 'bucket, service');
    const rows = await this.run(sql`SELECT ${groups}, SUM(CASE WHEN ${sourceCodeCondition(selection)} THEN count ELSE 0 END) AS selected, SUM(count) AS total
      FROM (${source.sql}) AS s GROUP BY ${groups}`);
    return rows.map((r) => ({
      bucket: toNumber(r.bucket),
      service: toText(r.service),
      route: byRoute ? toText(r.route) : '',
      selected: toNumber(r.selected),
      total: toNumber(r.total),
    }));
  }

  /** The newest minute with any close (0 when none). */
  async lastMinute(): Promise<number> {
    const [row] = await this.run(sql`SELECT MAX(bucket) AS b FROM code_rollup_minute`);
    return toNumber(row?.b);
  }

  /** The oldest minute with any close (0 when none): tells whether a day of history exists. */
  async firstMinute(): Promise<number> {
    const [row] = await this.run(sql`SELECT MIN(bucket) AS b FROM code_rollup_minute`);
    return toNumber(row?.b);
  }
}

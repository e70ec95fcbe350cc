import type { Dialect } from './dialect.js';
import { RAW_TABLES, ROLLUP_TABLES } from './retention-sql.js';
import { toNumber } from './row.js';
import type { RunRead } from './stats-reader.js';
import { join, raw, sql } from './template.js';

/** How much is stored, for the status page. */
export interface StoredVolume {
  /** Bytes the database takes, and how many of them are free pages waiting to be given back. */
  bytes: number;
  freeBytes: number;
  /** Raw events stored. */
  events: number;
  /** Connections' open notices stored (`POST /api/v1/opens`). */
  opens: number;
  /** Rows of every rollup table together. */
  rollupRows: number;
  /** Epoch ms of the oldest raw event, of the oldest rollup bucket; null when none. */
  oldestEvent: number | null;
  oldestRollup: number | null;
}

const EVENTS = RAW_TABLES[0] ?? { table: 'close_event', column: 'ts' };
const OPENS = RAW_TABLES.find((t) => t.table === 'connection_open') ?? { table: 'connection_open', column: 'opened_at' };

/** What the status endpoint reads: sizes, row counts and the oldest data. */
export class StatusReader {
  constructor(
    private readonly dialect: Dialect,
    private readonly run: RunRead,
  ) {}

  async volume(): Promise<StoredVolume> {
    const rollupCounts = join(ROLLUP_TABLES.map((t) => sql`(SELECT COUNT(*) FROM ${raw(t.table)})`), ' + ');
    // A day row's bucket is its midnight, before the data it counts: the finer tables say how far back rollups go.
    const rollupOldest = join(ROLLUP_TABLES.filter((t) => !t.table.endsWith('_day')).map((t) => sql`SELECT MIN(${raw(t.column)}) AS b FROM ${raw(t.table)}`), ' UNION ALL ');
    const [[counts], [size]] = await Promise.all([
      this.run(sql`SELECT (SELECT COUNT(*) FROM ${raw(EVENTS.table)}) AS events,
        (SELECT MIN(${raw(EVENTS.column)}) FROM ${raw(EVENTS.table)}) AS oldest_event,
        (SELECT COUNT(*) FROM ${raw(OPENS.table)}) AS opens,
        ${rollupCounts} AS rollup_rows,
        (SELECT MIN(b) FROM (${rollupOldest}) AS oldest) AS oldest_rollup`),
      this.run(this.dialect.databaseSize),
    ]);
    const nullable = (v: unknown): number | null => (v === null || v === undefined ? null : toNumber(v));
    return {
      bytes: toNumber(size?.bytes),
      freeBytes: toNumber(size?.free_bytes),
      events: toNumber(counts?.events),
      opens: toNumber(counts?.opens),
      rollupRows: toNumber(counts?.rollup_rows),
      oldestEvent: nullable(counts?.oldest_event),
      oldestRollup: nullable(counts?.oldest_rollup),
    };
  }
}

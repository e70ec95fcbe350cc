import { COUNT_ROLLUPS } from '../rollup-deltas.js';
import { int, raw, sql, type Sql } from './template.js';

/** A table that ages out, and the epoch-ms column its age is read from (indexed, or leading its key). */
export interface AgedTable {
  table: string;
  column: string;
}

/** Raw data, kept RETENTION_DAYS: the events, the SDKs' drop reports, the connections' open notices and the followed closes. */
export const RAW_TABLES: readonly AgedTable[] = [
  { table: 'close_event', column: 'ts' },
  { table: 'drop_report', column: 'received_at' },
  { table: 'connection_open', column: 'opened_at' },
  { table: 'reconnect_close', column: 'ts' },
];

/** Counts the charts read, kept ROLLUP_RETENTION_DAYS; `bucket` leads each primary key. */
export const ROLLUP_TABLES: readonly AgedTable[] = [
  'close_rollup_minute',
  'close_rollup_hour',
  'close_rollup_day',
  ...Object.keys(COUNT_ROLLUPS),
].map((table) => ({ table, column: 'bucket' }));

/**
 * Deletes the oldest rows of `t` older than `before`: about `limit` of them (the rows
 * sharing the last time taken go too, so a batch never splits one instant). The
 * subquery walks the time index from its start, so each batch costs its own rows only,
 * however large the table; the same text runs on SQLite and PostgreSQL.
 */
export function pruneOldestSql(t: AgedTable, before: number, limit: number): Sql {
  const table = raw(t.table);
  const column = raw(t.column);
  return sql`DELETE FROM ${table} WHERE ${column} < ${int(before)} AND ${column} <= (
    SELECT MAX(${column}) FROM (SELECT ${column} FROM ${table} WHERE ${column} < ${int(before)} ORDER BY ${column} LIMIT ${int(limit)}) AS oldest)`;
}

/** Where the last prune is kept (the `setting` table), so the status survives restarts. */
const LAST_PRUNE_KEY = 'retention.last_prune';

export function saveSettingSql(key: string, value: string): Sql {
  return sql`INSERT INTO setting (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
}

export function readSettingSql(key: string): Sql {
  return sql`SELECT value FROM setting WHERE key = ${key}`;
}

export { LAST_PRUNE_KEY };

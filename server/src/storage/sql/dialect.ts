import type { TimeWindow } from '../types.js';
import { int, raw, sql, type Sql } from './template.js';

/** What differs between the engines' SQL; everything else in `storage/sql/` is shared. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** `labels` (a JSON object) holds `key` with exactly `value`. */
  labelEquals(key: string, value: string): Sql;
  /**
   * A condition that ends the statement once its read budget is spent, put into every
   * scan. SQLite: a function the read worker defines; PostgreSQL: statement_timeout does
   * it, so the condition is simply true.
   */
  readonly withinBudget: Sql;
  /** `close_event` for a newest-first walk down `seq` (SQLite: stay on the rowid range). */
  readonly eventsBySeq: Sql;
  /** `close_event` for a search by time or by code and time, past the walk's budget. */
  eventsByIndex(index: 'ts' | 'code_ts' | 'client_key_opened_at'): Sql;
  /**
   * The closes of `code` in `window`, put so that they are read newest first down the
   * (code, ts) index whatever the code's share of the window.
   */
  closesOfCode(code: number, window: TimeWindow): Sql;
  /** The text of `column` before its first `:`, NULL when it has none (a clientKey's population prefix). */
  prefixBeforeColon(column: Sql): Sql;
  /**
   * One row: `bytes` the database takes and `free_bytes` of it free for reuse (SQLite:
   * pages; PostgreSQL: `pg_database_size(current_database())` and 0, autovacuum reuses space).
   */
  readonly databaseSize: Sql;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  labelEquals(key, value) {
    // A JSON path cannot quote every key; those go through json_each.
    if (!/["\\]/.test(key)) return sql`json_extract(labels, ${`$."${key}"`}) = ${value}`;
    return sql`EXISTS (SELECT 1 FROM json_each(close_event.labels) AS l WHERE l.key = ${key} AND l.value = ${value})`;
  },
  withinBudget: sql`cw_within_budget()`,
  // NOT INDEXED keeps SQLite on the rowid range: the ts index would sort the whole window.
  eventsBySeq: sql`close_event NOT INDEXED`,
  databaseSize: sql`SELECT c.page_count * s.page_size AS bytes, f.freelist_count * s.page_size AS free_bytes
    FROM pragma_page_count() AS c, pragma_page_size() AS s, pragma_freelist_count() AS f`,
  eventsByIndex: (index) => raw(`close_event INDEXED BY close_event_${index}_idx`),
  closesOfCode: (code, window) => sql`code = ${int(code)} AND ts >= ${int(window.from)} AND ts < ${int(window.to)}`,
  prefixBeforeColon: (column) => sql`CASE WHEN instr(${column}, ':') > 1 THEN substr(${column}, 1, instr(${column}, ':') - 1) END`,
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  // labels is text holding a JSON object (one data model for both engines).
  labelEquals: (key, value) => sql`(labels::jsonb ->> ${key}::text) = ${value}::text`,
  // statement_timeout ends a statement past its budget.
  withinBudget: sql`TRUE`,
  // The planner picks between the primary key and the indexes itself.
  eventsBySeq: sql`close_event`,
  eventsByIndex: () => sql`close_event`,
  // The row comparison bounds the (code, ts) index only. Without it, for a code with a few
  // percent of the window, the planner prices the ts index (in heap order) below the
  // (code, ts) one (scattered rows) and walks 40-50k rows of the ts index to keep 1,000.
  closesOfCode: (code, window) =>
    sql`code = ${int(code)} AND ts >= ${int(window.from)} AND ts < ${int(window.to)} AND (code, ts) >= (${int(code)}, ${int(window.from)})`,
  prefixBeforeColon: (column) => sql`CASE WHEN strpos(${column}, ':') > 1 THEN split_part(${column}, ':', 1) END`,
  // Autovacuum makes deleted rows' space reusable inside the files; nothing waits to be given back.
  databaseSize: sql`SELECT pg_database_size(current_database()) AS bytes, 0 AS free_bytes`,
};

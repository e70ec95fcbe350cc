import type { CloseFilters, StoredEventRow, TimeWindow } from '../types.js';
import type { Dialect } from './dialect.js';
import { CUSTOM_CODE_COLUMNS, EVENT_COLUMNS, toStoredEvent } from './event-columns.js';
import { toNumber } from './row.js';
import { eventConditions, eventRange } from './sources.js';
import type { RunRead } from './stats-reader.js';

/** Runs one read statement and returns its rows as arrays in column order. */
export type RunRawRead = (query: Sql) => Promise<unknown[][]>;

/** Runs one read statement and maps its raw rows to text where they are read, by a mapper registered with the engine. */
export type RunMappedRead = (query: Sql, mapper: string) => Promise<{ text: string; rows: number }>;
import { and, int, sql, type Sql } from './template.js';

/**
 * Newest events are found by walking `seq` down from the cursor, at most this many
 * rows per request; only if that does not fill the page are the indexes asked (for a
 * window far in the past, or filters that match little).
 */
export const SEQ_SCAN_ROWS = 20_000;

/** The raw events, newest first, for the events explorer. */
export class EventReader {
  constructor(
    private readonly dialect: Dialect,
    private readonly run: RunRead,
    private readonly runRaw: RunRawRead,
    private readonly runMapped: RunMappedRead,
    /**
     * Stored events (by seq) one read in store order should cover: a bounded scan whatever
     * the filters match, so no per-row budget check is needed. SQLite maps rows to text
     * in its read threads and takes 20,000; PostgreSQL's rows reach the collector's heap
     * first, so it takes fewer.
     */
    readonly storeOrderSpan = 20_000,
  ) {}

  /** The highest `seq` stored (0 when empty). */
  async newestSeq(): Promise<number> {
    const [top] = await this.run(sql`SELECT MAX(seq) AS s FROM close_event`);
    return toNumber(top?.s);
  }

  /**
   * Up to `limit` events matching the filters in the window with `seq` below `beforeSeq`,
   * highest `seq` (newest stored) first.
   */
  async page(window: TimeWindow, filters: CloseFilters, beforeSeq: number, limit: number): Promise<StoredEventRow[]> {
    const where = sql`${eventRange(window)} AND ${and(eventConditions(this.dialect, filters))}`;
    const low = Math.max(0, beforeSeq - SEQ_SCAN_ROWS);
    const rows = await this.run(
      sql`SELECT ${EVENT_COLUMNS} FROM ${this.dialect.eventsBySeq}
        WHERE seq < ${int(beforeSeq)} AND seq >= ${int(low)} AND ${where} ORDER BY seq DESC LIMIT ${int(limit)}`,
    );
    if (rows.length < limit && low > 0) {
      // A single code narrows best with (code, ts); anything else goes by time.
      const single = filters.codes?.length === 1 && filters.category === undefined;
      const more = await this.run(
        sql`SELECT ${EVENT_COLUMNS} FROM ${this.dialect.eventsByIndex(single ? 'code_ts' : 'ts')}
          WHERE seq < ${int(low)} AND ${where} ORDER BY seq DESC LIMIT ${int(limit - rows.length)}`,
      );
      rows.push(...more);
    }
    return rows.map(toStoredEvent);
  }

  /**
   * Where the events matching the filters in the window lie in store order: the lowest
   * and highest `seq` (by the ts index), or null when none match.
   */
  async seqRange(window: TimeWindow, filters: CloseFilters): Promise<{ first: number; last: number } | null> {
    const [row] = await this.run(
      sql`SELECT MIN(seq) AS first, MAX(seq) AS last FROM ${this.dialect.eventsByIndex('ts')} WHERE ${eventRange(window)} AND ${and(eventConditions(this.dialect, filters))}`,
    );
    if (row === undefined || row.first === null || row.first === undefined) return null;
    return { first: toNumber(row.first), last: toNumber(row.last) };
  }

  /**
   * The events matching the filters in the window with `seq` above `afterSeq` and at most
   * `untilSeq`, in store order, as raw rows (EVENT_COLUMNS order; see EVENT_COLUMN): a
   * keyset cursor over the table itself, no index lookups (but the primary key of
   * close_code_name for codes 3000-4999: the team's own name and category follow the row,
   * CUSTOM_CODE_COLUMN), so an export of millions reads
   * at the table's own speed. The caller bounds the work by the width of the seq range.
   */
  async rawInStoreOrder(window: TimeWindow, filters: CloseFilters, afterSeq: number, untilSeq: number): Promise<unknown[][]> {
    return this.runRaw(this.storeOrder(window, filters, afterSeq, untilSeq));
  }

  /**
   * The same rows, turned into text by `mapper` (a module registered with the engine,
   * taking raw rows) in the thread that reads them: only the text crosses to the
   * caller, which for an export is several times cheaper than the rows.
   */
  async mappedInStoreOrder(window: TimeWindow, filters: CloseFilters, afterSeq: number, untilSeq: number, mapper: string): Promise<{ text: string; rows: number }> {
    return this.runMapped(this.storeOrder(window, filters, afterSeq, untilSeq), mapper);
  }

  private storeOrder(window: TimeWindow, filters: CloseFilters, afterSeq: number, untilSeq: number): Sql {
    return sql`SELECT ${EVENT_COLUMNS}, ${CUSTOM_CODE_COLUMNS} FROM ${this.dialect.eventsBySeq}
      WHERE seq > ${int(afterSeq)} AND seq <= ${int(untilSeq)} AND ${eventRange(window)} AND ${and(eventConditions(this.dialect, filters, false))}
      ORDER BY seq`;
  }

  /** Events stored after `afterSeq`, by ascending seq, at most `limit` (the live tail). */
  async after(afterSeq: number, limit: number): Promise<StoredEventRow[]> {
    const rows = await this.run(sql`SELECT ${EVENT_COLUMNS} FROM close_event WHERE seq > ${int(afterSeq)} ORDER BY seq LIMIT ${int(limit)}`);
    return rows.map(toStoredEvent);
  }
}

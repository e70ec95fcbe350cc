import type { CloseFilters, StoredEventRow, TimeWindow } from '../types.js';
import type { Dialect } from './dialect.js';
import { EVENT_COLUMNS, toStoredEvent } from './event-columns.js';
import { toNumber } from './row.js';
import { eventConditions, eventRange } from './sources.js';
import type { RunRead } from './stats-reader.js';
import { and, int, sql } from './template.js';

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

  /** Events stored after `afterSeq`, by ascending seq, at most `limit` (the live tail). */
  async after(afterSeq: number, limit: number): Promise<StoredEventRow[]> {
    const rows = await this.run(sql`SELECT ${EVENT_COLUMNS} FROM close_event WHERE seq > ${int(afterSeq)} ORDER BY seq LIMIT ${int(limit)}`);
    return rows.map(toStoredEvent);
  }
}

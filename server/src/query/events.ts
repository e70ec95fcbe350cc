import type { PrismaClient } from '../storage/prisma-client.js';
import { EVENT_COLUMNS, toEventView } from './event-view.js';
import { invalidQuery, type CloseFilters, type ParsedQuery } from './filters.js';
import type { EventsPage } from './schemas.js';
import { eventConditions, eventRange } from './sources.js';
import { and, int, Prisma, readRows, toNumber, type Row } from './sql.js';

export const DEFAULT_EVENT_LIMIT = 50;
export const MAX_EVENT_LIMIT = 500;

/**
 * Newest events are found by walking `seq` down from the cursor, at most this many
 * rows per request; only if that does not fill the page are the indexes asked (for a
 * window far in the past, or filters that match little).
 */
export const SEQ_SCAN_ROWS = 20_000;

const CURSOR_PREFIX = 'v1:';

export function encodeCursor(seq: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`).toString('base64url');
}

/** @throws {HttpError} 400 when the cursor was not made by `encodeCursor`. */
export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^v1:(\d{1,15})$/.exec(text);
  if (match === null) throw invalidQuery('cursor', 'is not a cursor this API returned; pass nextCursor of the previous page as it is');
  return Number(match[1]);
}

/**
 * The index for a search past the scan budget (names from the Prisma migration): a
 * single code narrows best with (code, ts), anything else goes by time.
 */
function fallbackIndex(filters: CloseFilters): Prisma.Sql {
  const single = filters.codes?.length === 1 && filters.category === undefined;
  return Prisma.raw(single ? 'close_event_code_ts_idx' : 'close_event_ts_idx');
}

/** `GET /events`: events matching the filters in the window, newest (highest seq) first. */
export async function queryEvents(
  prisma: PrismaClient,
  query: ParsedQuery,
  options: { limit: number; cursor?: string },
): Promise<EventsPage> {
  const want = options.limit + 1;
  const where = Prisma.sql`${eventRange(query.window)} AND ${and(eventConditions(query.filters))}`;
  let before: number;
  if (options.cursor !== undefined) before = decodeCursor(options.cursor);
  else {
    const [top] = await readRows(prisma, Prisma.sql`SELECT MAX(seq) AS s FROM close_event`);
    before = toNumber(top?.s) + 1;
  }

  // NOT INDEXED keeps SQLite on the rowid range: the ts index would sort the whole window.
  const low = Math.max(0, before - SEQ_SCAN_ROWS);
  const rows: Row[] = await readRows(
    prisma,
    Prisma.sql`SELECT ${EVENT_COLUMNS} FROM close_event NOT INDEXED
      WHERE seq < ${int(before)} AND seq >= ${int(low)} AND ${where} ORDER BY seq DESC LIMIT ${int(want)}`,
  );
  if (rows.length < want && low > 0) {
    const more = await readRows(
      prisma,
      Prisma.sql`SELECT ${EVENT_COLUMNS} FROM close_event INDEXED BY ${fallbackIndex(query.filters)}
        WHERE seq < ${int(low)} AND ${where} ORDER BY seq DESC LIMIT ${int(want - rows.length)}`,
    );
    rows.push(...more);
  }
  const page = rows.slice(0, options.limit).map(toEventView);
  const last = page[page.length - 1];
  return { events: page, nextCursor: rows.length > options.limit && last ? encodeCursor(last.seq) : null };
}

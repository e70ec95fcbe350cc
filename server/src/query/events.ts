import type { EventReader } from '../storage/sql/event-reader.js';
import type { CustomCloseCodes } from '@closewatch/sdk/close-codes';
import { toEventView } from './event-view.js';
import { invalidQuery, type ParsedQuery } from './filters.js';
import type { EventsPage } from './schemas.js';

export const DEFAULT_EVENT_LIMIT = 50;
export const MAX_EVENT_LIMIT = 500;

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

/** `GET /events`: events matching the filters in the window, newest (highest seq) first. */
export async function queryEvents(
  events: EventReader,
  query: ParsedQuery,
  options: { limit: number; cursor?: string; names?: CustomCloseCodes },
): Promise<EventsPage> {
  const before = options.cursor !== undefined ? decodeCursor(options.cursor) : (await events.newestSeq()) + 1;
  // One more than asked tells whether another page follows.
  const rows = await events.page(query.window, query.filters, before, options.limit + 1);
  const page = rows.slice(0, options.limit).map((e) => toEventView(e, options.names));
  const last = page[page.length - 1];
  return { events: page, nextCursor: rows.length > options.limit && last ? encodeCursor(last.seq) : null };
}

import type { CloseEventView, LiveTick } from '@closewatch/server/api-types';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';

import { eventsQueryKey, type EventsPage, type EventsPageParam, type EventsQuery } from '../api/get-events';

type EventsData = InfiniteData<EventsPage, EventsPageParam | null>;

/** Past this many rows on the first page, a refetch trims it back to one page. */
export const MAX_FIRST_PAGE_ROWS = 200;

function newestFirst(a: CloseEventView, b: CloseEventView): number {
  return b.ts - a.ts || b.seq - a.seq;
}

/**
 * Prepends live events to the first page, skipping ones already listed. Returns the
 * data unchanged when nothing is new, so React Query does not re-render for nothing.
 */
export function prependLiveEvents(data: EventsData, events: readonly CloseEventView[]): { data: EventsData; added: number } {
  const [first, ...rest] = data.pages;
  if (!first || events.length === 0) return { data, added: 0 };
  const known = new Set<number>();
  for (const page of data.pages) for (const e of page.events) known.add(e.seq);
  const fresh = events.filter((e) => !known.has(e.seq)).sort(newestFirst);
  if (fresh.length === 0) return { data, added: 0 };
  return {
    data: { ...data, pages: [{ ...first, events: [...fresh, ...first.events] }, ...rest] },
    added: fresh.length,
  };
}

/** Where the count of live events that arrived while the reader was past page one lives. */
export function pendingEventsKey(query: EventsQuery) {
  return [...eventsQueryKey(query), 'pending'] as const;
}

/**
 * Applies a live tick to the events table. On the first page new rows appear at the
 * top right away; deeper in the list rows are not moved under the reader, a counter
 * offers to jump back instead. Returns whether the table needs a refetch (the tick
 * had more events than it carried, or the first page grew too long).
 */
export function applyLiveTick(queryClient: QueryClient, query: EventsQuery, tick: LiveTick): boolean {
  const key = eventsQueryKey(query);
  const data = queryClient.getQueryData<EventsData>(key);
  if (!data || tick.total <= 0) return false;
  if (data.pages.length > 1) {
    queryClient.setQueryData<number>(pendingEventsKey(query), (n) => (n ?? 0) + tick.total);
    return false;
  }
  const { data: next, added } = prependLiveEvents(data, tick.events);
  if (added > 0) queryClient.setQueryData<EventsData>(key, next);
  const missed = tick.total > tick.events.length;
  return missed || (next.pages[0]?.events.length ?? 0) > MAX_FIRST_PAGE_ROWS;
}

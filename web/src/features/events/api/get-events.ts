import type { EventsPage as EventsResponse, TimeWindow } from '@closewatch/server/api-types';
import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';

import { filterParams, filtersKey, rangeKey, resolveRange, type Filters, type TimeRange } from '@/features/filters/lib/view-state';
import { apiGet } from '@/lib/api-client';

export const EVENTS_PAGE_SIZE = 50;

export interface EventsQuery {
  range: TimeRange;
  filters: Filters;
}

/**
 * The window is fixed by the first page and carried to the next ones: "Load more"
 * must continue the list the reader is looking at, not a window that slid meanwhile.
 */
export interface EventsPageParam extends TimeWindow {
  cursor: string;
}

export interface EventsPage extends EventsResponse {
  window: TimeWindow;
}

export async function getEvents(
  query: EventsQuery,
  pageParam: EventsPageParam | null,
  signal?: AbortSignal,
): Promise<EventsPage> {
  const window = pageParam ?? resolveRange(query.range, Date.now());
  const params = new URLSearchParams();
  params.set('from', String(window.from));
  params.set('to', String(window.to));
  for (const [k, v] of filterParams(query.filters)) params.set(k, v);
  params.set('limit', String(EVENTS_PAGE_SIZE));
  if (pageParam) params.set('cursor', pageParam.cursor);
  const response = await apiGet<EventsResponse>('/api/v1/events', params, signal);
  return { ...response, window: { from: window.from, to: window.to } };
}

export function eventsQueryKey(query: EventsQuery) {
  return ['events', rangeKey(query.range), filtersKey(query.filters)] as const;
}

export function getEventsQueryOptions(query: EventsQuery) {
  return infiniteQueryOptions({
    queryKey: eventsQueryKey(query),
    queryFn: ({ pageParam, signal }) => getEvents(query, pageParam, signal),
    initialPageParam: null as EventsPageParam | null,
    getNextPageParam: (last: EventsPage): EventsPageParam | undefined =>
      last.nextCursor === null ? undefined : { cursor: last.nextCursor, from: last.window.from, to: last.window.to },
    placeholderData: keepPreviousData,
  });
}

export function useEvents(query: EventsQuery) {
  return useInfiniteQuery(getEventsQueryOptions(query));
}

import type { Lifetimes } from '@closewatch/server/api-types';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { apiParams } from '@/features/filters/lib/view-state';
import { apiGet } from '@/lib/api-client';

import { STATS_KEY, viewKey, type ViewQuery } from './params';

export function getLifetimes(query: ViewQuery, signal?: AbortSignal): Promise<Lifetimes> {
  return apiGet<Lifetimes>('/api/v1/stats/lifetimes', apiParams(query.range, query.filters, Date.now()), signal);
}

export function getLifetimesQueryOptions(query: ViewQuery) {
  return queryOptions({
    queryKey: [STATS_KEY, 'lifetimes', ...viewKey(query)],
    queryFn: ({ signal }) => getLifetimes(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useLifetimes(query: ViewQuery) {
  return useQuery(getLifetimesQueryOptions(query));
}

import type { Breakdown } from '@closewatch/server/api-types';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { apiParams } from '@/features/filters/lib/view-state';
import { apiGet } from '@/lib/api-client';

import { STATS_KEY, viewKey, type ViewQuery } from './params';

export function getBreakdown(query: ViewQuery, signal?: AbortSignal): Promise<Breakdown> {
  return apiGet<Breakdown>('/api/v1/stats/breakdown', apiParams(query.range, query.filters, Date.now()), signal);
}

export function getBreakdownQueryOptions(query: ViewQuery) {
  return queryOptions({
    queryKey: [STATS_KEY, 'breakdown', ...viewKey(query)],
    queryFn: ({ signal }) => getBreakdown(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useBreakdown(query: ViewQuery) {
  return useQuery(getBreakdownQueryOptions(query));
}

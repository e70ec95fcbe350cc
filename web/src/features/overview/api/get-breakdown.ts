import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { apiParams } from '@/features/filters/lib/view-state';
import { apiGet } from '@/lib/api-client';
import type { BreakdownResponse } from '@/types/api';

import { STATS_KEY, viewKey, type ViewQuery } from './params';

export function getBreakdown(query: ViewQuery, signal?: AbortSignal): Promise<BreakdownResponse> {
  return apiGet<BreakdownResponse>('/api/v1/stats/breakdown', apiParams(query.range, query.filters, Date.now()), signal);
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

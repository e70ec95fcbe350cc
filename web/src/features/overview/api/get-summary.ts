import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { apiParams } from '@/features/filters/lib/view-state';
import { apiGet } from '@/lib/api-client';
import type { SummaryResponse } from '@/types/api';

import { STATS_KEY, viewKey, type ViewQuery } from './params';

export function getSummary(query: ViewQuery, signal?: AbortSignal): Promise<SummaryResponse> {
  return apiGet<SummaryResponse>('/api/v1/stats/summary', apiParams(query.range, query.filters, Date.now()), signal);
}

export function getSummaryQueryOptions(query: ViewQuery) {
  return queryOptions({
    queryKey: [STATS_KEY, 'summary', ...viewKey(query)],
    queryFn: ({ signal }) => getSummary(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useSummary(query: ViewQuery) {
  return useQuery(getSummaryQueryOptions(query));
}

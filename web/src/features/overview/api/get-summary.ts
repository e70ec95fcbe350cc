import type { Summary } from '@closewatch/server/api-types';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { apiParams } from '@/features/filters/lib/view-state';
import { apiGet } from '@/lib/api-client';

import { STATS_KEY, viewKey, type ViewQuery } from './params';

export function getSummary(query: ViewQuery, signal?: AbortSignal): Promise<Summary> {
  return apiGet<Summary>('/api/v1/stats/summary', apiParams(query.range, query.filters, Date.now()), signal);
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

import type { Reasons } from '@closewatch/server/api-types';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { apiParams } from '@/features/filters/lib/view-state';
import { apiGet } from '@/lib/api-client';

import { STATS_KEY, viewKey, type ViewQuery } from './params';

export interface ReasonsQuery extends ViewQuery {
  limit?: number;
}

export function getReasons(query: ReasonsQuery, signal?: AbortSignal): Promise<Reasons> {
  const params = apiParams(query.range, query.filters, Date.now());
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  return apiGet<Reasons>('/api/v1/stats/reasons', params, signal);
}

export function getReasonsQueryOptions(query: ReasonsQuery) {
  return queryOptions({
    queryKey: [STATS_KEY, 'reasons', query.limit ?? 'default', ...viewKey(query)],
    queryFn: ({ signal }) => getReasons(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useReasons(query: ReasonsQuery) {
  return useQuery(getReasonsQueryOptions(query));
}

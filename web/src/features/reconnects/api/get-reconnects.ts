import type { Reconnects } from '@closewatch/server/api-types';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { apiParams } from '@/features/filters/lib/view-state';
import { STATS_KEY, viewKey, type ViewQuery } from '@/features/overview/api/params';
import { apiGet } from '@/lib/api-client';

export function getReconnects(query: ViewQuery, signal?: AbortSignal): Promise<Reconnects> {
  return apiGet<Reconnects>('/api/v1/stats/reconnects', apiParams(query.range, query.filters, Date.now()), signal);
}

// Under the stats key: a live tick with closures refreshes it with the overview's reads.
export function getReconnectsQueryOptions(query: ViewQuery) {
  return queryOptions({
    queryKey: [STATS_KEY, 'reconnects', ...viewKey(query)],
    queryFn: ({ signal }) => getReconnects(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useReconnects(query: ViewQuery) {
  return useQuery(getReconnectsQueryOptions(query));
}

import type { GroupBy, Timeseries } from '@closewatch/server/api-types';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { apiParams } from '@/features/filters/lib/view-state';
import { apiGet } from '@/lib/api-client';

import { STATS_KEY, viewKey, type ViewQuery } from './params';

export interface TimeseriesQuery extends ViewQuery {
  groupBy: GroupBy;
  /** Bucket width; omitted lets the collector pick one from the range (15 m: 1 min ... 7 d: 1 h). */
  bucketMs?: number;
}

export function getTimeseries(query: TimeseriesQuery, signal?: AbortSignal): Promise<Timeseries> {
  const params = apiParams(query.range, query.filters, Date.now());
  params.set('groupBy', query.groupBy);
  if (query.bucketMs !== undefined) params.set('bucketMs', String(query.bucketMs));
  return apiGet<Timeseries>('/api/v1/stats/timeseries', params, signal);
}

export function getTimeseriesQueryOptions(query: TimeseriesQuery) {
  return queryOptions({
    queryKey: [STATS_KEY, 'timeseries', query.groupBy, query.bucketMs ?? 'auto', ...viewKey(query)],
    queryFn: ({ signal }) => getTimeseries(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTimeseries(query: TimeseriesQuery) {
  return useQuery(getTimeseriesQueryOptions(query));
}

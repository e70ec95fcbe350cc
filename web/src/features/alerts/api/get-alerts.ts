import type { ActiveAlert, EpisodeView, TimeWindow } from '@closewatch/server/api-types';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { rangeKey, resolveRange, type TimeRange } from '@/features/filters/lib/view-state';
import { apiGet } from '@/lib/api-client';

import { ALERTS_KEY } from './keys';

/** `GET /api/v1/alerts`: what is pending or firing now, and the episodes of a window. */
export interface AlertsResponse {
  active: ActiveAlert[];
  history: EpisodeView[];
}

export interface AlertsQuery {
  /** The history's window; the active alerts are always those of now. */
  range: TimeRange;
  limit?: number;
}

export interface AlertsResult extends AlertsResponse {
  /** The window the history was read for. */
  window: TimeWindow;
}

export async function getAlerts(query: AlertsQuery, signal?: AbortSignal): Promise<AlertsResult> {
  const window = resolveRange(query.range, Date.now());
  const params = new URLSearchParams({ from: String(window.from), to: String(window.to) });
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  const response = await apiGet<AlertsResponse>('/api/v1/alerts', params, signal);
  return { ...response, window };
}

export function alertsQueryKey(query: AlertsQuery) {
  return [ALERTS_KEY, 'alerts', rangeKey(query.range), query.limit ?? null] as const;
}

export function getAlertsQueryOptions(query: AlertsQuery) {
  return queryOptions({
    queryKey: alertsQueryKey(query),
    queryFn: ({ signal }) => getAlerts(query, signal),
    placeholderData: keepPreviousData,
    // Live alert messages invalidate this at once; the poll covers a paused live feed.
    refetchInterval: 60_000,
  });
}

export function useAlerts(query: AlertsQuery) {
  return useQuery(getAlertsQueryOptions(query));
}

import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiGet } from '@/lib/api-client';
import type { Status as StatusResponse } from '@closewatch/server/api-types';

/** How often the status page asks again, in ms: it is what an operator watches during a prune or an incident. */
export const STATUS_REFRESH_MS = 10_000;

export function getStatus(signal?: AbortSignal): Promise<StatusResponse> {
  return apiGet<StatusResponse>('/api/v1/status', undefined, signal);
}

export function getStatusQueryOptions() {
  return queryOptions({
    queryKey: ['status'],
    queryFn: ({ signal }) => getStatus(signal),
    refetchInterval: STATUS_REFRESH_MS,
  });
}

export function useStatus() {
  return useQuery(getStatusQueryOptions());
}

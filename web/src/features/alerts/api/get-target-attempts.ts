import type { DeliveryAttempt, TargetView } from '@closewatch/server/api-types';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiGet } from '@/lib/api-client';

import { targetsQueryKey } from './get-targets';

export interface TargetAttempts {
  target: TargetView;
  /** Newest first. */
  attempts: DeliveryAttempt[];
}

export const ATTEMPTS_LIMIT = 50;
/** How often an open delivery log is read again. */
export const ATTEMPTS_REFRESH_MS = 2_000;

/** `GET /api/v1/notification-targets/:id/attempts`: the delivery log of one target. */
export function getTargetAttempts(id: string, signal?: AbortSignal): Promise<TargetAttempts> {
  return apiGet<TargetAttempts>(`/api/v1/notification-targets/${encodeURIComponent(id)}/attempts`, new URLSearchParams({ limit: String(ATTEMPTS_LIMIT) }), signal);
}

export function getTargetAttemptsQueryOptions(id: string) {
  return queryOptions({
    queryKey: [...targetsQueryKey, id, 'attempts'] as const,
    queryFn: ({ signal }) => getTargetAttempts(id, signal),
    // Retries happen in the background (2 s, 4 s, ... apart): an open log follows them.
    refetchInterval: ATTEMPTS_REFRESH_MS,
  });
}

export function useTargetAttempts(id: string) {
  return useQuery(getTargetAttemptsQueryOptions(id));
}

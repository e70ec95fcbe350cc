import type { TargetView } from '@closewatch/server/api-types';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiGet } from '@/lib/api-client';

import { ALERTS_KEY } from './keys';

export async function getTargets(signal?: AbortSignal): Promise<TargetView[]> {
  const response = await apiGet<{ targets: TargetView[] }>('/api/v1/notification-targets', undefined, signal);
  return response.targets;
}

export const targetsQueryKey = [ALERTS_KEY, 'targets'] as const;

export function getTargetsQueryOptions() {
  return queryOptions({ queryKey: targetsQueryKey, queryFn: ({ signal }) => getTargets(signal) });
}

export function useTargets() {
  return useQuery(getTargetsQueryOptions());
}

import type { SilenceView } from '@closewatch/server/api-types';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiGet } from '@/lib/api-client';

import { ALERTS_KEY } from './keys';

export async function getSilences(signal?: AbortSignal): Promise<SilenceView[]> {
  const response = await apiGet<{ silences: SilenceView[] }>('/api/v1/silences', undefined, signal);
  return response.silences;
}

export const silencesQueryKey = [ALERTS_KEY, 'silences'] as const;

export function getSilencesQueryOptions() {
  return queryOptions({ queryKey: silencesQueryKey, queryFn: ({ signal }) => getSilences(signal) });
}

export function useSilences() {
  return useQuery(getSilencesQueryOptions());
}

import type { AlertRule } from '@closewatch/server/api-types';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiGet } from '@/lib/api-client';

import { ALERTS_KEY } from './keys';

export async function getAlertRules(signal?: AbortSignal): Promise<AlertRule[]> {
  const response = await apiGet<{ rules: AlertRule[] }>('/api/v1/alert-rules', undefined, signal);
  return response.rules;
}

export const alertRulesQueryKey = [ALERTS_KEY, 'rules'] as const;

export function getAlertRulesQueryOptions() {
  return queryOptions({ queryKey: alertRulesQueryKey, queryFn: ({ signal }) => getAlertRules(signal) });
}

export function useAlertRules() {
  return useQuery(getAlertRulesQueryOptions());
}

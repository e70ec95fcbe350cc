import type { AlertRule, RuleInput } from '@closewatch/server/api-types';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { ALERTS_KEY } from './keys';

/** Creates a rule (`POST /api/v1/alert-rules`), or replaces rule `id` (`PUT`). Needs a signed-in session. */
export function saveAlertRule({ id, input }: { id: string | null; input: RuleInput }): Promise<AlertRule> {
  return id === null
    ? apiRequest<AlertRule>('/api/v1/alert-rules', { method: 'POST', body: input })
    : apiRequest<AlertRule>(`/api/v1/alert-rules/${encodeURIComponent(id)}`, { method: 'PUT', body: input });
}

export function useSaveAlertRule({ onSuccess }: { onSuccess?: (rule: AlertRule) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: saveAlertRule,
    onSuccess: (rule) => {
      void queryClient.invalidateQueries({ queryKey: [ALERTS_KEY] });
      onSuccess?.(rule);
    },
  });
}

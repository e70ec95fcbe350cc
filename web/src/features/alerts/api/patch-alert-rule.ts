import type { AlertRule, RuleInput } from '@closewatch/server/api-types';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { alertRulesQueryKey } from './get-alert-rules';
import { ALERTS_KEY } from './keys';

/** Changes some fields of a rule (`PATCH /api/v1/alert-rules/:id`): enable, disable. Needs a session. */
export function patchAlertRule({ id, changes }: { id: string; changes: Partial<RuleInput> }): Promise<AlertRule> {
  return apiRequest<AlertRule>(`/api/v1/alert-rules/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes });
}

export function usePatchAlertRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: patchAlertRule,
    onSuccess: (rule) => {
      queryClient.setQueryData<AlertRule[]>(alertRulesQueryKey, (rules) => rules?.map((r) => (r.id === rule.id ? rule : r)));
      void queryClient.invalidateQueries({ queryKey: [ALERTS_KEY] });
    },
  });
}

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { ALERTS_KEY } from './keys';

/** `DELETE /api/v1/alert-rules/:id`; its alerts and history go with it. Needs a session. */
export function deleteAlertRule(id: string): Promise<void> {
  return apiRequest<void>(`/api/v1/alert-rules/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteAlertRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteAlertRule,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [ALERTS_KEY] }),
  });
}

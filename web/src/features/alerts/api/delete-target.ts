import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { targetsQueryKey } from './get-targets';

/** `DELETE /api/v1/notification-targets/:id`. Needs a session. */
export function deleteTarget(id: string): Promise<void> {
  return apiRequest<void>(`/api/v1/notification-targets/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteTarget() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: deleteTarget, onSuccess: () => void queryClient.invalidateQueries({ queryKey: targetsQueryKey }) });
}

import type { TargetInput, TargetView } from '@closewatch/server/api-types';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { targetsQueryKey } from './get-targets';

/** `PATCH /api/v1/notification-targets/:id` (enable, disable, rename). Needs a session. */
export function updateTarget({ id, changes }: { id: string; changes: Partial<TargetInput> }): Promise<TargetView> {
  return apiRequest<TargetView>(`/api/v1/notification-targets/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes });
}

export function useUpdateTarget() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: updateTarget, onSuccess: () => void queryClient.invalidateQueries({ queryKey: targetsQueryKey }) });
}

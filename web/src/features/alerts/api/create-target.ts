import type { TargetInput, TargetView } from '@closewatch/server/api-types';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { targetsQueryKey } from './get-targets';

/** `POST /api/v1/notification-targets`. Needs a session. */
export function createTarget(input: TargetInput): Promise<TargetView> {
  return apiRequest<TargetView>('/api/v1/notification-targets', { method: 'POST', body: input });
}

export function useCreateTarget({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTarget,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: targetsQueryKey });
      onSuccess?.();
    },
  });
}

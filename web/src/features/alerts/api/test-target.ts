import type { TargetTestResult } from '@closewatch/server/api-types';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { targetsQueryKey } from './get-targets';

/** `POST /api/v1/notification-targets/:id/test`: sends a test notification now and says how it went. Needs a session. */
export function testTarget(id: string): Promise<TargetTestResult> {
  return apiRequest<TargetTestResult>(`/api/v1/notification-targets/${encodeURIComponent(id)}/test`, { method: 'POST', body: {} });
}

export function useTestTarget() {
  const queryClient = useQueryClient();
  // The attempt lands in the delivery log: refresh it and the target's last attempt.
  return useMutation({ mutationFn: testTarget, onSettled: () => void queryClient.invalidateQueries({ queryKey: targetsQueryKey }) });
}

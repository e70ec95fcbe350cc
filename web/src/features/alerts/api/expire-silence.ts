import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { ALERTS_KEY } from './keys';

/** `DELETE /api/v1/silences/:id`: ends a silence now. Needs a session. */
export function expireSilence(id: string): Promise<void> {
  return apiRequest<void>(`/api/v1/silences/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useExpireSilence() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: expireSilence, onSuccess: () => void queryClient.invalidateQueries({ queryKey: [ALERTS_KEY] }) });
}

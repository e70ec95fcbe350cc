import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { codesQueryKey } from './get-codes';

/** `DELETE /api/v1/codes/:code`: the code shows its range's name again. Needs a session. */
export function deleteCodeName(code: number): Promise<void> {
  return apiRequest<void>(`/api/v1/codes/${encodeURIComponent(String(code))}`, { method: 'DELETE' });
}

export function useDeleteCodeName() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: deleteCodeName, onSuccess: () => void queryClient.invalidateQueries({ queryKey: codesQueryKey }) });
}

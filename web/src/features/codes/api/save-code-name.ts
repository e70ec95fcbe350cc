import type { CodeName, CodeNameInput } from '@closewatch/server/api-types';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { codesQueryKey } from './get-codes';

/** `PUT /api/v1/codes/:code`: names a code of 3000-4999 (creates or replaces). Needs a session. */
export function saveCodeName({ code, input }: { code: number; input: CodeNameInput }): Promise<CodeName> {
  return apiRequest<CodeName>(`/api/v1/codes/${encodeURIComponent(String(code))}`, { method: 'PUT', body: input });
}

export function useSaveCodeName() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: saveCodeName, onSuccess: () => void queryClient.invalidateQueries({ queryKey: codesQueryKey }) });
}

import type { SessionState } from '@closewatch/server/api-types';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { SESSION_KEY, sessionQueryKey } from './get-session';

export function signIn(password: string): Promise<SessionState> {
  return apiRequest<SessionState>('/api/v1/session', { method: 'POST', body: { password } });
}

/**
 * Signs in. What was fetched before (refused reads, another session's data) is dropped,
 * so every view loads again with the new session.
 */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    onSuccess: async (session) => {
      // A session check still on its way was asked before this sign-in: its answer is old.
      await queryClient.cancelQueries({ queryKey: sessionQueryKey });
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY });
      queryClient.setQueryData(sessionQueryKey, session);
    },
  });
}

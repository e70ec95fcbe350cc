import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { SIGNED_OUT, sessionQueryKey } from './get-session';

/** Ends the session on the collector (the cookie stops working there, not only in this browser). */
export function signOut(): Promise<void> {
  return apiRequest<void>('/api/v1/session', { method: 'DELETE' });
}

/** Signs out and forgets every number fetched with the session. */
export function useSignOut({ onSuccess }: { onSuccess: () => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSuccess: () => {
      queryClient.clear();
      queryClient.setQueryData(sessionQueryKey, SIGNED_OUT);
      onSuccess();
    },
  });
}

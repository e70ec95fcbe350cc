import type { SessionState } from '@closewatch/server/api-types';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { isNotSignedIn } from '@/lib/api-client';

import { SESSION_KEY, SIGNED_OUT, sessionQueryKey } from './api/get-session';
import { redirectToSignIn } from './lib/redirect';

function signedOut(data: unknown): boolean {
  const session = data as SessionState | undefined;
  return session !== undefined && session.auth === 'password' && !session.signedIn;
}

/**
 * Sends the reader to the sign-in page when any read is refused with 401 NOT_SIGNED_IN
 * (a session that ended, expired or never was), and when the collector says this browser
 * is not signed in (the session check on focus, or after the live feed failed). Watches
 * the query and mutation caches, so no fetcher has to know about it.
 */
export function useSignInRedirect(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const refused = () => {
      // The other reads still on their way would only be refused too (and land after a new sign-in).
      void queryClient.cancelQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY });
      queryClient.setQueryData(sessionQueryKey, SIGNED_OUT);
      redirectToSignIn();
    };
    const stopQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated') return;
      if (event.action.type === 'error' && isNotSignedIn(event.action.error)) refused();
      // A fetched answer only: the dashboard's own writes (sign-out, a refusal) navigate themselves.
      else if (event.action.type === 'success' && event.action.manual !== true && event.query.queryKey[0] === SESSION_KEY && signedOut(event.action.data)) {
        redirectToSignIn();
      }
    });
    const stopMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error' && isNotSignedIn(event.action.error)) refused();
    });
    return () => {
      stopQueries();
      stopMutations();
    };
  }, [queryClient]);
}

import type { SessionState } from '@closewatch/server/api-types';
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';

import { apiGet } from '@/lib/api-client';

export const SESSION_KEY = 'session';
export const sessionQueryKey = [SESSION_KEY] as const;

/** What the dashboard knows once the collector answered NOT_SIGNED_IN or the reader signed out. */
export const SIGNED_OUT: SessionState = Object.freeze({ signedIn: false, auth: 'password', expiresAt: null }) as SessionState;

export function getSession(signal?: AbortSignal): Promise<SessionState> {
  return apiGet<SessionState>('/api/v1/session', undefined, signal);
}

export function getSessionQueryOptions() {
  return queryOptions({
    queryKey: sessionQueryKey,
    queryFn: ({ signal }) => getSession(signal),
  });
}

export function useSession() {
  return useQuery(getSessionQueryOptions());
}

/** Asks the collector again now (the answer lands in the cache, where the sign-in redirect sees it); failures are ignored. */
export async function recheckSession(queryClient: QueryClient): Promise<void> {
  await queryClient.fetchQuery({ ...getSessionQueryOptions(), staleTime: 0 }).catch(() => undefined);
}

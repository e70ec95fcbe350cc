import { QueryClient } from '@tanstack/react-query';

import { ApiError } from './api-client';

/**
 * Retries only what a retry can fix: a collector hiccup (5xx). A 4xx will fail the
 * same way again, and an unreachable collector is retried by the live feed's
 * reconnect loop, which refetches everything once it is back.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (!(error instanceof ApiError)) return failureCount < 1;
  return error.status >= 500 && failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        staleTime: 5_000,
        refetchOnWindowFocus: true,
      },
    },
  });
}

import { ApiError, collectorLabel } from '@/lib/api-client';
import { formatClock } from '@/lib/format';

export interface SignInProblem {
  kind: 'wrong-password' | 'rate-limited' | 'unreachable' | 'other';
  /** What was wrong. */
  title: string;
  /** What to do. */
  hint: string;
  /** Epoch ms before which another try is refused (rate limit), or null. */
  retryAt: number | null;
}

/** A failed sign-in, in the words the sign-in page shows. */
export function describeSignInError(error: unknown, now: number): SignInProblem {
  if (!(error instanceof ApiError)) {
    return {
      kind: 'other',
      title: `Signing in failed: ${error instanceof Error ? error.message : String(error)}`,
      hint: 'Reload the page and try again.',
      retryAt: null,
    };
  }
  if (error.code === 'WRONG_PASSWORD') {
    return {
      kind: 'wrong-password',
      title: 'That password is wrong.',
      hint: 'Type it again (it is case-sensitive); where the password comes from is explained below.',
      retryAt: null,
    };
  }
  if (error.status === 429) {
    const seconds = error.retryAfterSeconds ?? 60;
    const retryAt = now + seconds * 1000;
    return {
      kind: 'rate-limited',
      title: 'Too many sign-in attempts from this address.',
      hint: `Wait ${seconds} s (until ${formatClock(retryAt, true)}), then try again.`,
      retryAt,
    };
  }
  if (error.code === 'UNREACHABLE') {
    return {
      kind: 'unreachable',
      title: `Cannot reach the collector at ${collectorLabel()}.`,
      hint: 'Start it with `npm start` (or `npm run dev`), then sign in again.',
      retryAt: null,
    };
  }
  return {
    kind: 'other',
    title: `Signing in failed: ${error.message}`,
    hint: "The collector's output says more; try again once it is fixed.",
    retryAt: null,
  };
}

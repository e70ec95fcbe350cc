import { matchRoute } from '@/config/paths';
import { navigate } from '@/lib/location';

import { signInPath } from './next-path';

/**
 * Sends the reader to the sign-in page, which brings them back to the page they were
 * on. Replaces the history entry: Back must not return to a page that sends them here
 * again. Does nothing on the sign-in page itself.
 */
export function redirectToSignIn(location: Pick<Location, 'pathname' | 'search'> = window.location): void {
  if (matchRoute(location.pathname) === 'signIn') return;
  navigate(signInPath(`${location.pathname}${location.search}`), { replace: true });
}

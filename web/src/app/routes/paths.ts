export const ROUTES = {
  overview: '/',
  events: '/events',
} as const;

export type RouteName = keyof typeof ROUTES;

/** Which view a path shows; trailing slashes and `index.html` are tolerated. */
export function matchRoute(pathname: string): RouteName | null {
  const path = pathname.replace(/\/index\.html$/, '/').replace(/\/+$/, '') || '/';
  if (path === '/') return 'overview';
  if (path === '/events') return 'events';
  return null;
}

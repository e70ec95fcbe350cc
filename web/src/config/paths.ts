/** The dashboard's pages. The collector serves index.html for each (APP_PATHS in server/src/plugins/dashboard.ts). */
export const ROUTES = {
  overview: '/',
  reconnects: '/reconnects',
  events: '/events',
  alerts: '/alerts',
  codes: '/codes',
  status: '/status',
  signIn: '/sign-in',
} as const;

export type RouteName = keyof typeof ROUTES;

/** Which view a path shows; trailing slashes and `index.html` are tolerated. */
export function matchRoute(pathname: string): RouteName | null {
  const path = pathname.replace(/\/index\.html$/, '/').replace(/\/+$/, '') || '/';
  if (path === '/') return 'overview';
  if (path === '/reconnects') return 'reconnects';
  if (path === '/events') return 'events';
  if (path === '/alerts') return 'alerts';
  if (path === '/codes') return 'codes';
  if (path === '/status') return 'status';
  if (path === '/sign-in') return 'signIn';
  return null;
}

/**
 * Who may call a route:
 * - `public`: anyone (probes, the sign-in itself, the dashboard's files);
 * - `read`: a signed-in session or a read token (every read API);
 * - `ingest`: an ingest key (checked by the ingest route itself);
 * - `admin`: a signed-in session only (changes made by a person).
 */
export type Access = 'public' | 'read' | 'ingest' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; routes under /api/ and /metrics default to `read`, others to `public`. */
    access?: Access;
  }
}

/** The access of a route that declares none: an API route added later is never open by mistake. */
export function defaultAccess(routePattern: string | undefined): Access {
  if (routePattern === undefined) return 'public';
  return routePattern.startsWith('/api/') || routePattern === '/metrics' ? 'read' : 'public';
}

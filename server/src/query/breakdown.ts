import type { PrismaClient } from '../storage/prisma-client.js';
import { addToSeverity, byCountDesc, emptySeverity, type Severity } from './code-info.js';
import type { ParsedQuery } from './filters.js';
import type { Breakdown } from './schemas.js';
import { closeSource, instanceSource, type ReadPath } from './sources.js';
import { int, Prisma, readRows, toCode, toNumber, toText } from './sql.js';

/** Routes and instances are listed up to this many (the busiest): both can be high-cardinality. */
export const MAX_BREAKDOWN_ROWS = 100;

/**
 * `GET /stats/breakdown`: closes per service, per route and per instance, from rollups
 * when the filters allow.
 */
export async function queryBreakdown(prisma: PrismaClient, query: ParsedQuery): Promise<{ body: Breakdown; path: ReadPath }> {
  const source = closeSource(query.window, query.filters);
  const rows = await readRows(
    prisma,
    Prisma.sql`SELECT service, route, code, SUM(count) AS n FROM (${source.sql}) GROUP BY service, route, code`,
  );
  const services = new Map<string, Severity & { service: string }>();
  const routes = new Map<string, Severity & { service: string; route: string }>();
  for (const row of rows) {
    const service = toText(row.service);
    const route = toText(row.route);
    const code = toCode(row.code);
    const n = toNumber(row.n);
    const s = services.get(service) ?? { service, ...emptySeverity() };
    addToSeverity(s, code, n);
    services.set(service, s);
    const routeKey = `${service}\u0000${route}`;
    const r = routes.get(routeKey) ?? { service, route, ...emptySeverity() };
    addToSeverity(r, code, n);
    routes.set(routeKey, r);
  }

  const instances = instanceSource(query.window, query.filters);
  const instanceRows = await readRows(
    prisma,
    Prisma.sql`SELECT service, instance, code, SUM(count) AS n FROM (${instances.sql}) GROUP BY service, instance, code`,
  );
  const perInstance = new Map<string, Severity & { service: string; instance: string }>();
  for (const row of instanceRows) {
    const service = toText(row.service);
    const instance = toText(row.instance);
    const key = `${service}\u0000${instance}`;
    const entry = perInstance.get(key) ?? { service, instance, ...emptySeverity() };
    addToSeverity(entry, toCode(row.code), toNumber(row.n));
    perInstance.set(key, entry);
  }
  const sortKey = (x: { service: string; route?: string }): string => `${x.service}\u0000${x.route ?? ''}`;
  return {
    body: {
      window: query.window,
      services: [...services.values()].sort(byCountDesc<Severity & { service: string }>((s) => s.total, sortKey)),
      instances: [...perInstance.values()]
        .sort(byCountDesc<Severity & { service: string; instance: string }>((i) => i.total, (i) => `${i.service}\u0000${i.instance}`))
        .slice(0, MAX_BREAKDOWN_ROWS)
        .map(({ service, instance, total, abnormal }) => ({ service, instance, total, abnormal })),
      routes: [...routes.values()].sort(byCountDesc<Severity & { service: string; route: string }>((r) => r.total, sortKey)).slice(0, MAX_BREAKDOWN_ROWS),
    },
    path: source.path === 'events' || instances.path === 'events' ? 'events' : 'rollups',
  };
}

import type { StatsReader } from '../storage/sql/stats-reader.js';
import type { ReadPath } from '../storage/types.js';
import { addToSeverity, byCountDesc, emptySeverity, type Severity } from './code-info.js';
import type { ParsedQuery } from './filters.js';
import type { Breakdown } from './schemas.js';

/** Routes and instances are listed up to this many (the busiest): both can be high-cardinality. */
export const MAX_BREAKDOWN_ROWS = 100;

/**
 * `GET /stats/breakdown`: closes per service, per route and per instance, from rollups
 * when the filters allow.
 */
export async function queryBreakdown(stats: StatsReader, query: ParsedQuery): Promise<{ body: Breakdown; path: ReadPath }> {
  const [routeRead, instanceRead] = await Promise.all([
    stats.routeCounts(query.window, query.filters),
    stats.instanceCounts(query.window, query.filters),
  ]);
  const services = new Map<string, Severity & { service: string }>();
  const routes = new Map<string, Severity & { service: string; route: string }>();
  for (const { service, route, code, count: n } of routeRead.rows) {
    const s = services.get(service) ?? { service, ...emptySeverity() };
    addToSeverity(s, code, n);
    services.set(service, s);
    const routeKey = `${service}\u0000${route}`;
    const r = routes.get(routeKey) ?? { service, route, ...emptySeverity() };
    addToSeverity(r, code, n);
    routes.set(routeKey, r);
  }

  const perInstance = new Map<string, Severity & { service: string; instance: string }>();
  for (const { service, instance, code, count } of instanceRead.rows) {
    const key = `${service}\u0000${instance}`;
    const entry = perInstance.get(key) ?? { service, instance, ...emptySeverity() };
    addToSeverity(entry, code, count);
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
    path: routeRead.path === 'events' || instanceRead.path === 'events' ? 'events' : 'rollups',
  };
}

import type { StatsReader } from '../storage/sql/stats-reader.js';
import type { ReadPath } from '../storage/types.js';
import type { ParsedQuery } from './filters.js';
import type { Breakdown } from './schemas.js';

/**
 * `GET /stats/breakdown`: closes per service, per route and per instance (the `top` of
 * each by count, the rest summed in `other`), from rollups when the filters allow.
 */
export async function queryBreakdown(stats: StatsReader, query: ParsedQuery, top: number): Promise<{ body: Breakdown; path: ReadPath }> {
  const [{ routes, services }, instances] = await Promise.all([
    stats.routesAndServices(query.window, query.filters, top),
    stats.breakdown(query.window, query.filters, 'instance', top),
  ]);
  return {
    body: {
      window: query.window,
      services: services.rows.map(({ service, total, abnormal, error, again }) => ({ service, total, abnormal, error, again })),
      instances: instances.rows.map(({ service, instance, total, abnormal }) => ({ service, instance, total, abnormal })),
      routes: routes.rows.map(({ service, route, total, abnormal, error, again }) => ({ service, route, total, abnormal, error, again })),
      other: { services: services.other, instances: instances.other, routes: routes.other },
    },
    path: [services, routes, instances].some((r) => r.path === 'events') ? 'events' : 'rollups',
  };
}

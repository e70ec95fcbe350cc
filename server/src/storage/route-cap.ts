import { HOUR_MS } from './types.js';

/** What a route beyond the cap is stored as. */
export const OTHER_ROUTE = '(other)';

/** Service-hours whose routes are kept in memory; older ones are read again when needed. */
const MAX_TRACKED = 20_000;

/**
 * Caps distinct routes per service and hour (of the close's time): a client that puts
 * ids in its route names cannot make rollups and breakdowns grow without bound. Runs
 * in the writer, inside its transaction; `existing` reads the routes already stored
 * for a service-hour the first time one is seen.
 */
export class RouteCap {
  private readonly seen = new Map<string, Set<string>>();

  constructor(
    private readonly limit: number,
    private readonly existing: (service: string, hourBucket: number) => Iterable<string>,
  ) {}

  /** Whether the routes of the service-hour holding `ts` are known (no read needed to admit). */
  knows(service: string, ts: number): boolean {
    return this.seen.has(`${ts - (ts % HOUR_MS)}\u0000${service}`);
  }

  /** Drops what is known (after a rolled-back transaction, whose routes were not stored). */
  forget(): void {
    this.seen.clear();
  }

  /** The route to store: `route` itself, or OTHER_ROUTE when the service-hour is full. */
  admit(service: string, ts: number, route: string): string {
    const hour = ts - (ts % HOUR_MS);
    const key = `${hour}\u0000${service}`;
    let routes = this.seen.get(key);
    if (routes === undefined) {
      routes = new Set(this.existing(service, hour));
      routes.delete(OTHER_ROUTE);
      if (this.seen.size >= MAX_TRACKED) this.seen.delete(this.seen.keys().next().value as string);
      this.seen.set(key, routes);
    }
    if (routes.has(route)) return route;
    if (routes.size >= this.limit) return OTHER_ROUTE;
    routes.add(route);
    return route;
  }
}

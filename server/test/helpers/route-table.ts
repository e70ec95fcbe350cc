import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Records every route registered on `app` from now on (its onRoute hook, which child
 * plugins inherit): call it before anything is registered. The array fills as they are.
 */
export function recordRoutes(app: FastifyInstance): RouteOptions[] {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  return routes;
}

/**
 * Runs `build`, which creates a fastify instance and registers plugins on it (buildApp),
 * and returns the instance with its route table. fastify publishes each new instance on
 * the 'fastify.initialization' diagnostics channel before any plugin is registered; the
 * table is the one of the instance `build` returns, so an app built meanwhile elsewhere
 * does not mix in.
 */
export async function withRouteTable(build: () => Promise<FastifyInstance>): Promise<{ app: FastifyInstance; routes: RouteOptions[] }> {
  const tables = new Map<FastifyInstance, RouteOptions[]>();
  const onInstance = (message: unknown): void => {
    const { fastify } = message as { fastify: FastifyInstance };
    tables.set(fastify, recordRoutes(fastify));
  };
  subscribe('fastify.initialization', onInstance);
  try {
    const app = await build();
    const routes = tables.get(app);
    if (routes === undefined) throw new Error('withRouteTable: build() returned an instance it did not create');
    return { app, routes };
  } finally {
    unsubscribe('fastify.initialization', onInstance);
  }
}

/** The methods a route answers, but HEAD (fastify adds one to each GET). */
export const routeMethods = (route: RouteOptions): string[] => (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');

/** Whether the route is a WebSocket upgrade (@fastify/websocket's `websocket: true`). */
export const upgradesToWebSocket = (route: RouteOptions): boolean => (route as { websocket?: boolean }).websocket === true;

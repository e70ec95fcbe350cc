import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import alertsPlugin from './alerts/alerts-plugin.js';
import authPlugin from './auth/auth-plugin.js';
import codeNamesPlugin from './codes/code-names-plugin.js';
import configPlugin, { type Config } from './plugins/config.js';
import dashboardPlugin from './plugins/dashboard.js';
import databasePlugin from './plugins/database.js';
import errorHandlerPlugin from './plugins/error-handler.js';
import livePlugin from './plugins/live.js';
import metricsPlugin from './plugins/metrics.js';
import retentionPlugin from './retention/retention-plugin.js';
import apiRoutes from './routes/api/index.js';
import healthRoutes from './routes/health.js';
import metricsRoutes from './routes/metrics.js';

export interface AppOptions {
  /** Settings to use instead of the environment (tests, embedding). */
  config?: Config;
  /** The clock of time-based caches such as key revocation. Default `Date.now`. */
  clock?: () => number;
}

/**
 * The whole collector as one plugin. It never listens: `server.ts` does, and tests
 * register it on their own instance and use `inject` or `listen` on port 0.
 */
async function serviceApp(fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  await fastify.register(configPlugin, opts.config ? { config: opts.config } : {});
  await fastify.register(errorHandlerPlugin);
  await fastify.register(databasePlugin, opts.clock ? { clock: opts.clock } : {});
  await fastify.register(codeNamesPlugin);
  await fastify.register(livePlugin);
  await fastify.register(metricsPlugin);
  await fastify.register(authPlugin);
  await fastify.register(alertsPlugin, opts.clock ? { clock: opts.clock } : {});
  await fastify.register(retentionPlugin, opts.clock ? { clock: opts.clock } : {});
  await fastify.register(healthRoutes);
  await fastify.register(metricsRoutes);
  await fastify.register(apiRoutes, { prefix: '/api/v1' });
  await fastify.register(dashboardPlugin);
}

export default fp(serviceApp, { name: 'closewatch' });

import type { FastifyPluginAsync } from 'fastify';
import alertRoutes from './alerts.js';
import codeRoutes from './codes.js';
import eventsListRoutes from './events-list.js';
import exportRoutes from './export.js';
import ingestRoutes from './ingest.js';
import liveRoutes from './live.js';
import opensRoutes from './opens.js';
import sessionRoutes from './session.js';
import statsRoutes from './stats.js';
import statusRoutes from './status.js';

/** Everything under `/api/v1/`. */
const apiRoutes: FastifyPluginAsync = async (fastify) => {
  await fastify.register(sessionRoutes);
  await fastify.register(ingestRoutes);
  await fastify.register(opensRoutes);
  await fastify.register(statsRoutes);
  await fastify.register(eventsListRoutes);
  await fastify.register(liveRoutes);
  await fastify.register(alertRoutes);
  await fastify.register(codeRoutes);
  await fastify.register(exportRoutes);
  await fastify.register(statusRoutes);
};

export default apiRoutes;

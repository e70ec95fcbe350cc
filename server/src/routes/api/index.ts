import type { FastifyPluginAsync } from 'fastify';
import ingestRoutes from './ingest.js';

/** Everything under `/api/v1/`. */
const apiRoutes: FastifyPluginAsync = async (fastify) => {
  await fastify.register(ingestRoutes);
};

export default apiRoutes;

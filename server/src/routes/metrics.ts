import type { FastifyPluginAsync } from 'fastify';

/** `/metrics`: the Prometheus text exposition of the collector (its health, and closes by service and code). */
const metricsRoutes: FastifyPluginAsync = async (fastify) => {
  // A read credential unless METRICS_PUBLIC=true (for a scraper on a trusted network).
  fastify.get('/metrics', { config: { access: fastify.config.METRICS_PUBLIC ? 'public' : 'read' } }, async (_request, reply) =>
    reply.type(fastify.metrics.registry.contentType).send(await fastify.metrics.registry.metrics()),
  );
};

export default metricsRoutes;

import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import serviceApp, { type AppOptions } from './app.js';

/**
 * A fastify instance with the collector registered: the one place that sets server
 * options (logger, ajv, timeouts), shared by `server.ts`, tests and benchmarks.
 */
export async function buildApp(app: AppOptions = {}, server: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger: false,
    // Ingest bodies are limited per route (MAX_BODY_BYTES); this is for the rest.
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
    forceCloseConnections: 'idle',
    ...server,
  }).withTypeProvider<TypeBoxTypeProvider>();
  await fastify.register(serviceApp, app);
  return fastify;
}

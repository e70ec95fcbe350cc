import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import serviceApp, { type AppOptions } from './app.js';
import { loadConfig, type Config } from './plugins/config.js';

/** fastify's `trustProxy` from TRUST_PROXY: which proxies' X-Forwarded-* headers are believed. */
export function trustProxyOption(value: string): boolean | string {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  return v;
}

/**
 * A fastify instance with the collector registered: the one place that sets server
 * options (logger, ajv, timeouts), shared by `server.ts`, tests and benchmarks.
 */
export async function buildApp(app: AppOptions = {}, server: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const config: Config = app.config ?? loadConfig();
  const fastify = Fastify({
    logger: false,
    // Ingest bodies are limited per route (MAX_BODY_BYTES); this is for the rest.
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
    forceCloseConnections: 'idle',
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    // fastify 5 sets no request timeout; a client that trickles a body must not hold a socket forever.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: config.REQUEST_TIMEOUT_MS + config.KEEP_ALIVE_TIMEOUT_MS,
    ...server,
  }).withTypeProvider<TypeBoxTypeProvider>();
  await fastify.register(serviceApp, { ...app, config });
  return fastify;
}

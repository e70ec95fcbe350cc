import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorBodySchema, HttpError } from '../http/http-error.js';
import { IngestReportSchema } from './event-schema.js';
import { decodeRequestBody } from './gzip-body.js';
import { applyCors, authenticateIngest, rateLimitKey } from './ingest-auth.js';

/** A 400 that still reports which items were wrong. */
const NoValidItemsSchema = Type.Intersect([ErrorBodySchema, IngestReportSchema]);

/** Every answer of an ingest route: the report, or the one error shape. */
export const INGEST_RESPONSES = {
  200: IngestReportSchema,
  400: Type.Union([NoValidItemsSchema, ErrorBodySchema]),
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  413: ErrorBodySchema,
  415: ErrorBodySchema,
  429: ErrorBodySchema,
  500: ErrorBodySchema,
  503: ErrorBodySchema,
};

/** The CORS preflight of an ingest route (browser keys). */
export function ingestPreflight(fastify: FastifyInstance, path: string): void {
  fastify.options(path, { config: { access: 'public' } }, async (request, reply) => {
    await applyCors(request, reply);
    return reply
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'authorization, content-type, content-encoding')
      .header('access-control-max-age', '600')
      .status(204)
      .send();
  });
}

/** What every ingest route does before its handler: key, Origin, rate limit, body size, JSON (gzip allowed). */
export function ingestRouteOptions(fastify: FastifyInstance) {
  const { MAX_BODY_BYTES, INGEST_RATE_LIMIT } = fastify.config;
  return {
    config: {
      access: 'ingest' as const,
      // Per key (the hash of the presented secret): one runaway sender cannot starve the rest.
      rateLimit: { max: INGEST_RATE_LIMIT, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => rateLimitKey(request.headers.authorization) },
    },
    bodyLimit: MAX_BODY_BYTES,
    onRequest: authenticateIngest,
    // Every refusal of a whole request, by status, for operators.
    onResponse: async (_request: FastifyRequest, reply: FastifyReply) => {
      if (reply.statusCode >= 400) fastify.metrics.requestsRefused.inc({ status: String(reply.statusCode) });
    },
    preParsing: async (request: FastifyRequest, _reply: FastifyReply, payload: Readable) => {
      // fastify also parses text/plain; ingest takes JSON only, and says so before reading.
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as JSON with Content-Type: application/json');
      }
      return decodeRequestBody(request.headers['content-encoding'], payload);
    },
  };
}

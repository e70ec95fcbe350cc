import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorBody, HttpError } from '../../http/http-error.js';
import type { IngestReport } from '../../ingest/event-schema.js';
import { INGEST_RESPONSES, ingestPreflight, ingestRouteOptions } from '../../ingest/ingest-route.js';
import { OpensBodySchema, validateOpen } from '../../ingest/open-schema.js';
import { isRejection } from '../../ingest/validate-event.js';
import type { StoredOpen } from '../../storage/types.js';

const STORAGE_RETRY_AFTER_S = 5;

/**
 * `POST /api/v1/opens`: connections reported when they open (server SDK), so a client
 * that reconnected counts as back while its new connection is still open. Same keys,
 * limits and answers as `/api/v1/events`; acknowledged only once stored.
 */
const opensRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { MAX_BATCH_EVENTS, RETENTION_DAYS } = fastify.config;

  ingestPreflight(fastify, '/opens');

  fastify.post(
    '/opens',
    {
      ...ingestRouteOptions(fastify),
      schema: {
        summary: 'Ingest connection open notices',
        headers: Type.Object({ authorization: Type.Optional(Type.String()) }),
        body: OpensBodySchema,
        response: INGEST_RESPONSES,
      },
    },
    async (request, reply) => {
      const key = request.ingestKey;
      if (key === null) throw new HttpError(401, 'MISSING_KEY', 'send an ingest key as "Authorization: Bearer <key>"');
      const { opens } = request.body;
      if (opens.length === 0) throw new HttpError(400, 'EMPTY_BATCH', 'opens is empty; send at least one open notice');
      if (opens.length > MAX_BATCH_EVENTS) {
        throw new HttpError(413, 'BATCH_TOO_LARGE', `the batch has ${opens.length} open notices; at most ${MAX_BATCH_EVENTS} are accepted per request, split it`);
      }
      const ctx = { keyId: key.id, receivedAt: Date.now(), retentionDays: RETENTION_DAYS };
      const valid: StoredOpen[] = [];
      const rejected: IngestReport['rejected'] = [];
      opens.forEach((notice, index) => {
        const result = validateOpen(notice, ctx);
        if (isRejection(result)) rejected.push({ index, field: result.field, message: `opens[${index}]${result.field === 'open' ? ' ' : '.'}${result.message}` });
        else valid.push(result);
      });
      fastify.metrics.opensRejected.inc(rejected.length);
      if (valid.length === 0) {
        const first = rejected[0];
        const message = `none of the ${opens.length} open notices is valid; ${first?.message ?? ''}`;
        return reply.status(400).send({ ...errorBody('NO_VALID_OPENS', message), accepted: 0, duplicates: 0, rejected });
      }
      let result;
      try {
        result = await fastify.db.opens.write(valid);
      } catch (error) {
        request.log.error({ err: error }, 'storing open notices failed');
        const reason = error instanceof Error ? error.message.slice(0, 200) : 'the writer failed';
        throw new HttpError(
          503,
          'STORAGE_UNAVAILABLE',
          `the open notices could not be stored and were not acknowledged (${reason}); retry them later (ids make the retry safe)`,
          { 'retry-after': String(STORAGE_RETRY_AFTER_S) },
        );
      }
      fastify.metrics.opensAccepted.inc(result.accepted);
      fastify.metrics.opensDuplicate.inc(result.duplicates);
      return { accepted: result.accepted, duplicates: result.duplicates, rejected };
    },
  );
};

export default opensRoutes;

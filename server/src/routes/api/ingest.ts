import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorBody, HttpError } from '../../http/http-error.js';
import type { StoredCloseEvent } from '../../storage/types.js';
import { IngestBodySchema, type IngestReport } from '../../ingest/event-schema.js';
import { INGEST_RESPONSES, ingestPreflight, ingestRouteOptions } from '../../ingest/ingest-route.js';
import { isRejection, validateEvent } from '../../ingest/validate-event.js';
import { Type } from '@sinclair/typebox';
import { WriteFailedError, WriterBusyError } from '../../storage/errors.js';

/** Seconds a client should wait before retrying a batch the storage could not take. */
const STORAGE_RETRY_AFTER_S = 5;
/** A full queue drains within a second or two; a short wait spreads the retries. */
const WRITER_BUSY_RETRY_AFTER_S = 2;

/** `POST /api/v1/events`: the ingest API. Acknowledges a batch only after it is committed. */
const ingestRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { MAX_BATCH_EVENTS, RETENTION_DAYS } = fastify.config;

  fastify.decorateRequest('ingestKey', null);

  ingestPreflight(fastify, '/events');

  fastify.post(
    '/events',
    {
      ...ingestRouteOptions(fastify),
      schema: {
        summary: 'Ingest close events',
        headers: Type.Object({ authorization: Type.Optional(Type.String()) }),
        body: IngestBodySchema,
        response: INGEST_RESPONSES,
      },
    },
    async (request, reply) => {
      const key = request.ingestKey;
      if (key === null) throw new HttpError(401, 'MISSING_KEY', 'send an ingest key as "Authorization: Bearer <key>"');
      const { events, meta } = request.body;
      if (events.length === 0) {
        throw new HttpError(400, 'EMPTY_BATCH', 'events is empty; send at least one event');
      }
      if (events.length > MAX_BATCH_EVENTS) {
        throw new HttpError(413, 'BATCH_TOO_LARGE', `the batch has ${events.length} events; at most ${MAX_BATCH_EVENTS} are accepted per request, split it`);
      }
      const metrics = fastify.metrics;
      metrics.eventsReceived.inc(events.length);
      metrics.batchSize.observe(events.length);
      const receivedAt = Date.now();
      const ctx = { keyId: key.id, source: key.kind === 'browser' ? 'browser' : 'server', receivedAt, retentionDays: RETENTION_DAYS } as const;
      const valid: StoredCloseEvent[] = [];
      const rejected: IngestReport['rejected'] = [];
      events.forEach((event, index) => {
        const result = validateEvent(event, ctx);
        if (isRejection(result)) rejected.push({ index, ...result });
        else valid.push(result);
      });
      for (const r of rejected) metrics.eventsRejected.inc({ field: r.field.split('.')[0] ?? 'event' });
      if (valid.length === 0) {
        const first = rejected[0];
        const message = `none of the ${events.length} events is valid; event ${first?.index ?? 0}: ${first?.message ?? ''}`;
        return reply.status(400).send({ ...errorBody('NO_VALID_EVENTS', message), accepted: 0, duplicates: 0, rejected });
      }
      const first = valid[0] as StoredCloseEvent;
      const dropped = meta?.dropped ?? 0;
      const drop = dropped > 0 ? { keyId: key.id, service: first.service, instance: first.instance, dropped } : null;
      let result;
      const commitTimer = metrics.commitSeconds.startTimer();
      try {
        result = await fastify.db.writer.write(valid, drop);
        commitTimer();
      } catch (error) {
        if (error instanceof WriterBusyError) {
          throw new HttpError(
            503,
            'WRITER_BUSY',
            `the collector is taking more than its disk writes (${error.detail}); the batch was not stored, retry it in ${WRITER_BUSY_RETRY_AFTER_S} s`,
            { 'retry-after': String(WRITER_BUSY_RETRY_AFTER_S) },
          );
        }
        // The writer logged the detail; the client gets the short reason and when to retry.
        const reason = error instanceof WriteFailedError ? error.reason : error instanceof Error ? error.message : 'the writer failed';
        throw new HttpError(
          503,
          'STORAGE_UNAVAILABLE',
          `the batch could not be stored and was not acknowledged (${reason}); retry it later (ids make the retry safe)`,
          { 'retry-after': String(STORAGE_RETRY_AFTER_S) },
        );
      }
      metrics.eventsAccepted.inc(result.accepted);
      metrics.eventsDuplicate.inc(result.duplicates);
      metrics.droppedBySdks.inc(dropped);
      metrics.routesCapped.inc(result.routesCapped);
      const duplicate = new Set(result.duplicateIndexes);
      metrics.countCloses(duplicate.size === 0 ? valid : valid.filter((_, i) => !duplicate.has(i)));
      return { accepted: result.accepted, duplicates: result.duplicates, rejected };
    },
  );
};

export default ingestRoutes;

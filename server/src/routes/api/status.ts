import { createRequire } from 'node:module';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBodySchema } from '../../http/http-error.js';
import { IngestRate } from '../../status/ingest-rate.js';
import { StatusSchema, type Status } from '../../status/status-schema.js';

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** `GET /api/v1/status`: engine and size, what is stored, retention, ingest, the last prune, version. */
const statusRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const startedAt = Date.now();
  const writer = fastify.db.writer;
  const rate = new IngestRate(() => writer.committedEvents);
  fastify.addHook('onClose', async () => rate.stop());

  fastify.get(
    '/status',
    {
      config: { access: 'read' },
      schema: { summary: 'State of the collector and its storage', response: { 200: StatusSchema, 503: ErrorBodySchema } },
    },
    async (): Promise<Status> => {
      const [volume, lastPrune] = await Promise.all([fastify.db.status.volume(), fastify.db.retention.lastPrune()]);
      const { settings } = fastify.retention;
      return {
        version: VERSION,
        startedAt,
        database: { engine: fastify.db.engine, bytes: volume.bytes, freeBytes: volume.freeBytes },
        events: { stored: volume.events, oldest: volume.oldestEvent },
        opens: { stored: volume.opens },
        rollups: { rows: volume.rollupRows, oldest: volume.oldestRollup },
        retention: {
          eventsDays: settings.retentionDays,
          rollupsDays: settings.rollupRetentionDays,
          pruneIntervalMinutes: settings.intervalMinutes,
          pruneBatchRows: settings.batchRows,
          pruning: fastify.retention.running,
          lastPrune,
        },
        ingest: {
          ...rate.current(),
          eventsSinceStart: writer.committedEvents,
          writerQueueBatches: writer.pendingBatches,
          writerQueueLimit: fastify.config.WRITER_QUEUE_BATCHES,
        },
      };
    },
  );
};

export default statusRoutes;

import fp from 'fastify-plugin';
import { EVENTS_CSV_MAPPER, EVENTS_CSV_MAPPER_URL } from '../export/event-csv-rows.js';
import { openStorage } from '../storage/open-storage.js';
import type { Storage } from '../storage/storage.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Everything stored and read, behind the storage layer's functions. */
    db: Storage;
  }
}

export interface DatabasePluginOptions {
  /** The clock of the key cache (tests move it past the revocation window). Default `Date.now`. */
  clock?: () => number;
}

/**
 * Opens the storage once for the whole app and closes it last: pending ingest
 * transactions are drained before the connections close, so nothing acknowledged is lost.
 */
export default fp<DatabasePluginOptions>(
  async (fastify, opts) => {
    const { config } = fastify;
    const storage = await openStorage({
      url: config.DATABASE_URL,
      writerHeapMb: config.WRITER_HEAP_MB,
      maxRoutesPerServiceHour: config.MAX_ROUTES_PER_SERVICE_HOUR,
      maxQueuedBatches: config.WRITER_QUEUE_BATCHES,
      maxQueuedBytes: config.WRITER_QUEUE_MB * 1024 * 1024,
      readWorkers: config.READ_WORKERS,
      readNice: config.READ_NICE,
      walLimitMb: config.WAL_LIMIT_MB,
      readBudgetMs: config.READ_TIMEOUT_MS,
      rowMappers: { [EVENTS_CSV_MAPPER]: EVENTS_CSV_MAPPER_URL },
      ...(opts.clock ? { clock: opts.clock } : {}),
      onFailure: (message, error) => fastify.log.error({ err: error }, message),
      log: (line) => fastify.log.info(line),
    });
    fastify.decorate('db', storage);
    fastify.addHook('onClose', async () => storage.close());
  },
  { name: 'database', dependencies: ['config'] },
);

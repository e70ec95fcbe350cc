import fp from 'fastify-plugin';
import type { PruneRecord } from '../storage/storage.js';
import { pruneOnce, type PruneSettings } from './prune.js';

declare module 'fastify' {
  interface FastifyInstance {
    retention: {
      settings: PruneSettings & { intervalMinutes: number };
      /** Prunes now (or joins the prune already running) and records it. */
      runNow(): Promise<PruneRecord>;
      /** Whether a prune is running. */
      readonly running: boolean;
    };
  }
}

export interface RetentionPluginOptions {
  /** The clock retention runs on (tests move it forward). Default `Date.now`. */
  clock?: () => number;
}

/** The first prune waits this long after the start, so a start is never slowed by one. */
const FIRST_PRUNE_DELAY_MS = 60_000;

/**
 * Deletes data past RETENTION_DAYS / ROLLUP_RETENTION_DAYS every PRUNE_INTERVAL_MINUTES,
 * through storage's retention functions only, and keeps what the last prune did.
 */
export default fp<RetentionPluginOptions>(
  async (fastify, opts) => {
    const { config } = fastify;
    const clock = opts.clock ?? Date.now;
    const settings = {
      retentionDays: config.RETENTION_DAYS,
      rollupRetentionDays: config.ROLLUP_RETENTION_DAYS,
      batchRows: config.PRUNE_BATCH_ROWS,
      intervalMinutes: config.PRUNE_INTERVAL_MINUTES,
    };
    let closing = false;
    let current: Promise<PruneRecord> | null = null;
    let timer: NodeJS.Timeout | null = null;

    const run = async (): Promise<PruneRecord> => {
      const record = await pruneOnce(fastify.db.retention, settings, clock(), () => closing, (done) =>
        fastify.log.info(done, 'pruning data past retention'),
      );
      if (record.batches > 0 || record.reclaimedBytes > 0) {
        fastify.log.info({ ...record }, `pruned ${record.events} events and ${record.rollupRows} rollup rows past retention`);
      }
      await fastify.db.retention.recordPrune(record);
      return record;
    };
    const runNow = (): Promise<PruneRecord> => {
      current ??= run().finally(() => {
        current = null;
      });
      return current;
    };
    fastify.decorate('retention', {
      settings,
      runNow,
      get running() {
        return current !== null;
      },
    });

    const schedule = (ms: number): void => {
      if (closing) return;
      timer = setTimeout(() => {
        runNow()
          .catch((error: unknown) => fastify.log.error({ err: error }, 'pruning data past retention failed; the next prune tries again'))
          .finally(() => schedule(settings.intervalMinutes * 60_000));
      }, ms);
      timer.unref();
    };
    fastify.addHook('onReady', async () => {
      if (settings.intervalMinutes > 0) schedule(Math.min(FIRST_PRUNE_DELAY_MS, settings.intervalMinutes * 60_000));
    });
    fastify.addHook('onClose', async () => {
      closing = true;
      if (timer !== null) clearTimeout(timer);
      // The batch being deleted finishes; the rest waits for the next start.
      await current?.catch(() => undefined);
    });
  },
  { name: 'retention', dependencies: ['config', 'database'] },
);

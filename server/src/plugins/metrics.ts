import fp from 'fastify-plugin';
import { CollectorMetrics } from '../metrics/collector-metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: CollectorMetrics;
  }
}

/** The collector's Prometheus registry: counters the features increment, gauges read at scrape time. */
export default fp(
  async (fastify) => {
    const metrics = new CollectorMetrics();
    const { writer } = fastify.db;
    metrics.gauge('closewatch_storage_queue_batches', 'Ingest batches waiting for the writer.', () => writer.pendingBatches);
    metrics.counterFrom('closewatch_storage_transactions_total', 'Group-commit transactions of the writer.', () => writer.transactions);
    metrics.gauge('closewatch_live_clients', 'Dashboard sockets on the live feed.', () => fastify.live.clientCount);
    metrics.counterFrom('closewatch_live_skipped_ticks_total', 'Live ticks held back from a slow client and merged into its next one.', () => fastify.live.skippedTicks);
    fastify.decorate('metrics', metrics);
  },
  { name: 'metrics', dependencies: ['database', 'live'] },
);

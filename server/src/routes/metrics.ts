import type { FastifyPluginAsync } from 'fastify';
import { ingestMetrics } from '../ingest/ingest-metrics.js';

function line(name: string, help: string, type: 'counter' | 'gauge', value: number, labels = ''): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name}${labels} ${value}\n`;
}

/** `/metrics`: Prometheus text exposition of the collector's own health. */
const metricsRoutes: FastifyPluginAsync = async (fastify) => {
  // A read credential unless METRICS_PUBLIC=true (for a scraper on a trusted network).
  fastify.get('/metrics', { config: { access: fastify.config.METRICS_PUBLIC ? 'public' : 'read' } }, async (_request, reply) => {
    const writer = fastify.db.writer;
    const body = [
      line('closewatch_ingest_batches_total', 'Ingest requests that stored at least one event.', 'counter', ingestMetrics.batches),
      line('closewatch_ingest_events_accepted_total', 'Events stored.', 'counter', ingestMetrics.accepted),
      line('closewatch_ingest_events_duplicate_total', 'Events whose id was already stored (retries).', 'counter', ingestMetrics.duplicates),
      line('closewatch_ingest_events_rejected_total', 'Events rejected by validation.', 'counter', ingestMetrics.rejected),
      line('closewatch_sdk_events_dropped_total', 'Events SDKs reported dropping (queue full).', 'counter', ingestMetrics.droppedBySdks),
      line('closewatch_ingest_routes_capped_total', 'Events stored with route (other): their service had MAX_ROUTES_PER_SERVICE_HOUR routes that hour.', 'counter', ingestMetrics.routesCapped),
      line('closewatch_storage_transactions_total', 'Group-commit transactions.', 'counter', writer.transactions),
      line('closewatch_storage_pending_batches', 'Batches waiting for a transaction.', 'gauge', writer.pendingBatches),
      line('closewatch_live_clients', 'Dashboard sockets on the live feed.', 'gauge', fastify.live.clientCount),
      line('closewatch_live_skipped_ticks_total', 'Live ticks held back from a slow client and merged into its next one.', 'counter', fastify.live.skippedTicks),
      line('closewatch_process_resident_memory_bytes', 'Resident memory.', 'gauge', process.memoryUsage().rss),
    ].join('');
    return reply.type('text/plain; version=0.0.4').send(body);
  });
};

export default metricsRoutes;

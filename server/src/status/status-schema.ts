import { Type, type Static } from '@sinclair/typebox';

const EpochMs = (description: string) => Type.Union([Type.Integer(), Type.Null()], { description: `${description} (epoch ms), or null when none` });

export const PruneRecordSchema = Type.Object({
  startedAt: Type.Integer({ description: 'epoch ms' }),
  finishedAt: Type.Integer({ description: 'epoch ms' }),
  eventsBefore: Type.Integer({ description: 'raw events with a ts before this (epoch ms) were deleted' }),
  rollupsBefore: Type.Integer({ description: 'rollup buckets before this (epoch ms) were deleted' }),
  events: Type.Integer({ description: 'raw events deleted' }),
  rollupRows: Type.Integer({ description: 'rollup rows deleted' }),
  batches: Type.Integer({ description: 'delete transactions it took' }),
  reclaimedBytes: Type.Integer({ description: 'bytes given back to the file system' }),
});

/** `GET /api/v1/status`: what an operator checks first. */
export const StatusSchema = Type.Object({
  version: Type.String({ description: "the collector's version" }),
  startedAt: Type.Integer({ description: 'when this collector process started (epoch ms)' }),
  database: Type.Object({
    engine: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
    bytes: Type.Integer({ description: 'bytes the database takes' }),
    freeBytes: Type.Integer({ description: 'of those, bytes free for reuse (not yet given back)' }),
  }),
  events: Type.Object({
    stored: Type.Integer({ description: 'raw events stored' }),
    oldest: EpochMs('ts of the oldest raw event'),
  }),
  opens: Type.Object({
    stored: Type.Integer({ description: "connections' open notices stored (server SDK, reportOpens); pruned with the raw events" }),
  }),
  rollups: Type.Object({
    rows: Type.Integer({ description: 'rows of every rollup table together' }),
    oldest: EpochMs('the oldest rollup bucket'),
  }),
  retention: Type.Object({
    eventsDays: Type.Integer({ description: 'RETENTION_DAYS' }),
    rollupsDays: Type.Integer({ description: 'ROLLUP_RETENTION_DAYS' }),
    pruneIntervalMinutes: Type.Integer({ description: 'PRUNE_INTERVAL_MINUTES; 0: only when asked' }),
    pruneBatchRows: Type.Integer({ description: 'PRUNE_BATCH_ROWS' }),
    pruning: Type.Boolean({ description: 'a prune is running now' }),
    lastPrune: Type.Union([PruneRecordSchema, Type.Null()], { description: 'the last prune, or null before the first' }),
  }),
  ingest: Type.Object({
    eventsPerSecond: Type.Number({ description: 'events committed per second over the window' }),
    windowSeconds: Type.Number({ description: 'the window of eventsPerSecond, in seconds (up to 60)' }),
    eventsSinceStart: Type.Integer({ description: 'events committed since this process started' }),
    writerQueueBatches: Type.Integer({ description: 'ingest batches waiting for the writer now' }),
    writerQueueLimit: Type.Integer({ description: 'WRITER_QUEUE_BATCHES: past it ingest answers 503' }),
  }),
});

export type Status = Static<typeof StatusSchema>;

import type { PruneRecord, RetentionStore } from '../storage/storage.js';

export const DAY_MS = 86_400_000;

export interface PruneSettings {
  /** Raw events older than this many days go. */
  retentionDays: number;
  /** Rollups older than this many days go. */
  rollupRetentionDays: number;
  /** Rows one transaction deletes. */
  batchRows: number;
}

/** The cut-offs at `now`: data with a time before these is past retention. */
export function retentionCutoffs(settings: Pick<PruneSettings, 'retentionDays' | 'rollupRetentionDays'>, now: number): { eventsBefore: number; rollupsBefore: number } {
  return { eventsBefore: now - settings.retentionDays * DAY_MS, rollupsBefore: now - settings.rollupRetentionDays * DAY_MS };
}

/** Progress of a prune, for the log. */
export type PruneProgress = (done: { events: number; rollupRows: number; batches: number }) => void;

/**
 * Deletes everything past retention, one small transaction at a time, each awaited
 * before the next is sent: ingest batches queue between them and never wait for more
 * than one. Then gives the space back, in small steps the same way. `stopped` ends it
 * early (shutdown); what was deleted stays deleted and the next prune goes on.
 */
export async function pruneOnce(
  retention: RetentionStore,
  settings: PruneSettings,
  now: number,
  stopped: () => boolean = () => false,
  progress: PruneProgress = () => {},
): Promise<PruneRecord> {
  const startedAt = Date.now();
  const cutoffs = retentionCutoffs(settings, now);
  const done = { events: 0, rollupRows: 0, batches: 0 };
  let lastReport = startedAt;
  for (const [scope, before, field] of [
    ['events', cutoffs.eventsBefore, 'events'],
    ['rollups', cutoffs.rollupsBefore, 'rollupRows'],
  ] as const) {
    while (!stopped()) {
      const deleted = await retention.pruneBatch(scope, before, settings.batchRows);
      if (deleted === 0) break;
      done[field] += deleted;
      done.batches += 1;
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        progress(done);
      }
    }
  }
  let reclaimedBytes = 0;
  if (done.batches > 0) {
    while (!stopped()) {
      const bytes = await retention.reclaimStep();
      if (bytes === 0) break;
      reclaimedBytes += bytes;
    }
  }
  return { startedAt, finishedAt: Date.now(), ...cutoffs, ...done, reclaimedBytes };
}

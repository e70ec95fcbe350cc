import { Panel } from '@/components/ui/panel';
import { QueryView } from '@/components/ui/query-view';
import { formatBytes, formatCount, formatCountOf, formatDateTime, formatDuration, formatRate } from '@/lib/format';
import type { Status as StatusResponse } from '@closewatch/server/api-types';

import { STATUS_REFRESH_MS, useStatus } from '../api/get-status';

const DAY_MS = 86_400_000;

function Row({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <div className="status-row" data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        {value}
        {detail && <span className="status-detail"> · {detail}</span>}
      </dd>
    </div>
  );
}

/** `2026-11-26 10:05 (3 d 4 h ago)`, or what "none" means here. */
function oldest(ts: number | null, now: number, none: string): string {
  return ts === null ? none : `${formatDateTime(ts)} (${formatDuration(Math.max(0, now - ts))} ago)`;
}

function LastPrune({ status }: { status: StatusResponse }) {
  const { lastPrune, pruning, pruneIntervalMinutes } = status.retention;
  if (lastPrune === null) {
    return (
      <p className="empty-state" data-testid="status-no-prune">
        No prune has run on this database yet.{' '}
        {pruneIntervalMinutes > 0
          ? `The first runs a minute after the collector starts, then every ${formatCountOf(pruneIntervalMinutes, 'minutes')} (PRUNE_INTERVAL_MINUTES).`
          : 'PRUNE_INTERVAL_MINUTES is 0, so data past retention is only pruned when asked: set it to a number of minutes.'}
        {pruning && ' A prune is running now.'}
      </p>
    );
  }
  return (
    <dl className="status-list">
      <Row
        testId="status-prune-when"
        label="Finished"
        value={formatDateTime(lastPrune.finishedAt)}
        detail={`took ${formatDuration(lastPrune.finishedAt - lastPrune.startedAt)}${pruning ? '; another prune is running now' : ''}`}
      />
      <Row
        testId="status-prune-deleted"
        label="Deleted"
        value={`${formatCountOf(lastPrune.events, 'events')} and ${formatCountOf(lastPrune.rollupRows, 'rollup rows')}`}
        detail={`in ${formatCountOf(lastPrune.batches, 'transactions')}`}
      />
      <Row
        testId="status-prune-cutoffs"
        label="Cut-offs"
        value={`events before ${formatDateTime(lastPrune.eventsBefore)}, rollups before ${formatDateTime(lastPrune.rollupsBefore)}`}
      />
      <Row testId="status-prune-reclaimed" label="Given back to the disk" value={formatBytes(lastPrune.reclaimedBytes)} />
    </dl>
  );
}

/** The collector's state for an operator: storage size, what is kept and for how long, ingest, the last prune. */
export function StatusPage() {
  const query = useStatus();
  return (
    <QueryView query={query} what="the collector status">
      {(status) => {
        const now = Date.now();
        const { database, events, opens, rollups, retention, ingest } = status;
        return (
          <div className="status-page" data-testid="status-page">
            <Panel title="Storage" caption={`as of ${formatDateTime(now)}, refreshed every ${STATUS_REFRESH_MS / 1000} s`}>
              <dl className="status-list">
                <Row testId="status-engine" label="Engine" value={database.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} detail={`collector ${status.version}, up since ${formatDateTime(status.startedAt)}`} />
                <Row testId="status-size" label="Database size" value={formatBytes(database.bytes)} detail={`${formatBytes(database.freeBytes)} of it free for reuse`} />
                <Row
                  testId="status-events"
                  label="Raw events"
                  value={formatCountOf(events.stored, 'events')}
                  detail={`oldest ${oldest(events.oldest, now, 'none stored yet: send events with an ingest key')}`}
                />
                <Row
                  testId="status-opens"
                  label="Open notices"
                  value={formatCountOf(opens.stored, 'notices')}
                  detail="connections the server SDK reported when they opened (reportOpens), kept as long as raw events"
                />
                <Row
                  testId="status-rollups"
                  label="Rollups"
                  value={formatCountOf(rollups.rows, 'rows')}
                  detail={`oldest bucket ${oldest(rollups.oldest, now, 'none yet')}`}
                />
              </dl>
            </Panel>
            <Panel title="Retention" caption="RETENTION_DAYS and ROLLUP_RETENTION_DAYS">
              <dl className="status-list">
                <Row testId="status-retention-events" label="Raw events kept" value={formatCountOf(retention.eventsDays, 'days')} detail={`events older than ${formatDateTime(now - retention.eventsDays * DAY_MS)} are pruned, and refused at ingest`} />
                <Row testId="status-retention-rollups" label="Rollups kept" value={formatCountOf(retention.rollupsDays, 'days')} detail="the charts of older ranges read them" />
                <Row
                  testId="status-retention-schedule"
                  label="Prunes"
                  value={retention.pruneIntervalMinutes > 0 ? `every ${formatCountOf(retention.pruneIntervalMinutes, 'minutes')}` : 'only when asked'}
                  detail={`${formatCountOf(retention.pruneBatchRows, 'rows')} a transaction`}
                />
              </dl>
            </Panel>
            <Panel title="Ingest" caption={`rate over the last ${formatDuration(ingest.windowSeconds * 1000)}`}>
              <dl className="status-list">
                <Row testId="status-ingest-rate" label="Stored" value={`${formatRate(ingest.eventsPerSecond)} events/s`} detail={`${formatCountOf(ingest.eventsSinceStart, 'events')} since this collector started`} />
                <Row
                  testId="status-writer-queue"
                  label="Writer queue"
                  value={`${formatCountOf(ingest.writerQueueBatches, 'batches')} waiting`}
                  detail={`ingest answers 503 past ${formatCount(ingest.writerQueueLimit)} (WRITER_QUEUE_BATCHES)`}
                />
              </dl>
            </Panel>
            <Panel title="Last prune" caption="data past retention, deleted in small transactions between ingest batches">
              <LastPrune status={status} />
            </Panel>
          </div>
        );
      }}
    </QueryView>
  );
}

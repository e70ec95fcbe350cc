import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';

import { Panel } from '@/components/ui/panel';
import { QueryView } from '@/components/ui/query-view';
import { ExportCsvLink } from '@/features/export/components/export-csv-link';
import { describeRange, describeRangeIn, hasFilters, type ViewState } from '@/features/filters/lib/view-state';
import { formatCount } from '@/lib/format';

import { EVENTS_PAGE_SIZE, eventsQueryKey, useEvents } from '../api/get-events';
import { pendingEventsKey } from '../lib/live-events';
import { EventsTable } from './events-table';

interface EventsExplorerProps {
  view: ViewState;
  onClearFilters: () => void;
}

export function EventsExplorer({ view, onClearFilters }: EventsExplorerProps) {
  const query = { range: view.range, filters: view.filters };
  const queryClient = useQueryClient();
  const events = useEvents(query);
  // Written by the live feed (applyLiveTick); read here through the cache so it re-renders.
  const pending = useQuery<number>({ queryKey: pendingEventsKey(query), queryFn: skipToken }).data ?? 0;
  const windowLabel = describeRange(view.range);

  const backToNewest = () => {
    queryClient.setQueryData(pendingEventsKey(query), 0);
    void queryClient.resetQueries({ queryKey: eventsQueryKey(query), exact: true });
  };

  return (
    <Panel
      title="Close events"
      caption={`newest first, ${EVENTS_PAGE_SIZE} per page, ${windowLabel}`}
      testId="events-panel"
      className="panel-wide"
      actions={<ExportCsvLink kind="events" range={view.range} filters={view.filters} what="every close event of this view" testId="export-events" />}
    >
      {pending > 0 && (
        <button type="button" className="button new-events" onClick={backToNewest} data-testid="new-events">
          {formatCount(pending)} new {pending === 1 ? 'event' : 'events'}: back to the newest
        </button>
      )}
      <QueryView query={events} what="events">
        {(data) => {
          const rows = data.pages.flatMap((p) => p.events);
          if (rows.length === 0) {
            return (
              <div className="empty-hint" data-testid="events-empty">
                <p>No close events {describeRangeIn(view.range)}{hasFilters(view.filters) ? ' match these filters' : ''}.</p>
                <p>
                  {hasFilters(view.filters) ? (
                    <>
                      <button type="button" className="button" onClick={onClearFilters}>
                        Clear filters
                      </button>{' '}
                      or widen the time range.
                    </>
                  ) : (
                    <>
                      Widen the time range, or send closures: instrument a server with <code>@closewatch/sdk</code> or run{' '}
                      <code>npm run demo</code>. The Overview page shows a ready-to-paste curl.
                    </>
                  )}
                </p>
              </div>
            );
          }
          return (
            <>
              <p className="panel-caption" data-testid="events-count">
                Showing {formatCount(rows.length)} {rows.length === 1 ? 'event' : 'events'} {describeRangeIn(view.range)}
                {events.hasNextPage ? '; more are older' : ''}.
              </p>
              <EventsTable events={rows} caption={`Close events ${describeRangeIn(view.range)}, newest first`} />
              <div className="load-more">
                {events.hasNextPage ? (
                  <button
                    type="button"
                    className="button"
                    onClick={() => void events.fetchNextPage()}
                    disabled={events.isFetchingNextPage}
                    data-testid="load-more"
                  >
                    {events.isFetchingNextPage ? 'Loading…' : `Load ${EVENTS_PAGE_SIZE} more`}
                  </button>
                ) : (
                  <span className="muted">That is every event in the window.</span>
                )}
                {events.isFetchNextPageError && (
                  <span className="error-inline" role="alert">
                    Loading more failed: {events.error instanceof Error ? events.error.message : String(events.error)}
                  </span>
                )}
              </div>
            </>
          );
        }}
      </QueryView>
    </Panel>
  );
}

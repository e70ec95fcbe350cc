import type { InfiniteData } from '@tanstack/react-query';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { getEventsQueryOptions, type EventsPage, type EventsPageParam } from '@/features/events/api/get-events';
import { EventsExplorer } from '@/features/events/components/events-explorer';
import { pendingEventsKey } from '@/features/events/lib/live-events';
import { EMPTY_FILTERS, type ViewState } from '@/features/filters/lib/view-state';

import { WINDOW, eventFixture, eventsFixture } from '../../fixtures';
import { createTestQueryClient, jsonResponse, renderWithClient } from '../../test-utils';

const VIEW: ViewState = {
  range: { kind: 'relative', preset: '1h' },
  filters: { ...EMPTY_FILTERS, service: 'chat' },
  live: true,
};

function firstPage(page: EventsPage): InfiniteData<EventsPage, EventsPageParam | null> {
  return { pages: [page], pageParams: [null] };
}

function renderExplorer(page: EventsPage) {
  const client = createTestQueryClient();
  client.setQueryData(getEventsQueryOptions(VIEW).queryKey, firstPage(page));
  const onClearFilters = vi.fn();
  return { ...renderWithClient(<EventsExplorer view={VIEW} onClearFilters={onClearFilters} />, client), onClearFilters };
}

describe('events explorer', () => {
  it('shows one row per event with every column formatted and the code named', () => {
    const event = eventFixture(7, {
      code: 1011,
      reason: 'handler failed',
      reasonTruncated: true,
      initiator: 'server',
      wasClean: true,
      durationMs: 61_500,
      bytesIn: 2048,
      bytesOut: 512,
      ts: Date.UTC(2026, 10, 26, 9, 59, 58, 123),
    });
    renderExplorer({ events: [event], nextCursor: null, window: WINDOW });
    const rows = within(screen.getByTestId('events-table')).getAllByTestId('event-row');
    expect(rows).toHaveLength(1);
    expect(within(rows[0] as HTMLElement).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      '2026-11-26 09:59:58.123',
      '1011 Internal Error (Error)',
      'handler failed (truncated)',
      'server',
      'yes',
      'chat',
      'chat-1',
      '/ws',
      '1 min 1 s',
      '2 KiB / 512 B',
      'region:eu',
    ]);
    expect(screen.getByTestId('events-count')).toHaveTextContent('Showing 1 event in the last 1 h.');
    expect(screen.getByText('That is every event in the window.')).toBeInTheDocument();
  });

  it('loads the next page with the cursor and the same window', async () => {
    const user = userEvent.setup();
    const fetchMock = vi.fn(async (_input: RequestInfo | URL) => jsonResponse(eventsFixture(2, null, 50)));
    vi.stubGlobal('fetch', fetchMock);
    renderExplorer({ ...eventsFixture(50, 'cursor-2', 100), window: WINDOW });
    expect(screen.getAllByTestId('event-row')).toHaveLength(50);

    await user.click(screen.getByTestId('load-more'));
    expect(await screen.findByText('That is every event in the window.')).toBeInTheDocument();
    expect(screen.getAllByTestId('event-row')).toHaveLength(52);
    // The next page goes below the first, still newest first.
    expect(screen.getAllByTestId('event-row').slice(48).map((r) => r.getAttribute('data-seq'))).toEqual(['52', '51', '50', '49']);
    expect(fetchMock).toHaveBeenCalledTimes(1);

    const url = new URL(String(fetchMock.mock.calls[0]?.[0]), 'http://localhost');
    expect(url.pathname).toBe('/api/v1/events');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: String(WINDOW.from),
      to: String(WINDOW.to),
      service: 'chat',
      limit: '50',
      cursor: 'cursor-2',
    });
  });

  it('says how to fill an empty, filtered table and offers to clear the filters', async () => {
    const user = userEvent.setup();
    const { onClearFilters } = renderExplorer({ events: [], nextCursor: null, window: WINDOW });
    expect(screen.getByTestId('events-empty')).toHaveTextContent('No close events in the last 1 h match these filters.');
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(onClearFilters).toHaveBeenCalledOnce();
  });

  it('offers to jump back to the newest events that arrived while reading older pages', () => {
    const client = createTestQueryClient();
    client.setQueryData(getEventsQueryOptions(VIEW).queryKey, firstPage({ ...eventsFixture(3, null), window: WINDOW }));
    client.setQueryData(pendingEventsKey(VIEW), 4);
    renderWithClient(<EventsExplorer view={VIEW} onClearFilters={() => {}} />, client);
    expect(screen.getByTestId('new-events')).toHaveTextContent('4 new events: back to the newest');
  });
});

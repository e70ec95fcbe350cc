// @vitest-environment node
import type { LiveTick } from '@closewatch/server/api-types';
import type { InfiniteData } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';

import { eventsQueryKey, type EventsPage, type EventsPageParam } from '@/features/events/api/get-events';
import { applyLiveTick, pendingEventsKey, prependLiveEvents } from '@/features/events/lib/live-events';
import { EMPTY_FILTERS } from '@/features/filters/lib/view-state';

import { NOW, WINDOW, eventFixture, eventsFixture } from '../../fixtures';
import { createTestQueryClient } from '../../test-utils';

type Data = InfiniteData<EventsPage, EventsPageParam | null>;
const QUERY = { range: { kind: 'relative', preset: '1h' } as const, filters: EMPTY_FILTERS };

function data(...pages: EventsPage[]): Data {
  return { pages, pageParams: pages.map((_, i) => (i === 0 ? null : { cursor: `c${i}`, ...WINDOW })) };
}

function tick(events: LiveTick['events'], total = events.length): LiveTick {
  return { type: 'tick', from: NOW, to: NOW + 1000, total, byCode: [], byService: [], events, skippedTicks: 0 };
}

describe('live events', () => {
  it('prepends new events newest first and skips ones already listed', () => {
    const page = { ...eventsFixture(3, null, 10), window: WINDOW };
    const { data: next, added } = prependLiveEvents(data(page), [eventFixture(10), eventFixture(11), eventFixture(12)]);
    expect(added).toBe(2);
    expect(next.pages[0]?.events.map((e) => e.seq)).toEqual([12, 11, 10, 9, 8]);
  });

  it('returns the same data when nothing is new', () => {
    const input = data({ ...eventsFixture(2, null, 5), window: WINDOW });
    expect(prependLiveEvents(input, [eventFixture(5)]).data).toBe(input);
  });

  it('updates the cached first page from a tick', () => {
    const client = createTestQueryClient();
    client.setQueryData(eventsQueryKey(QUERY), data({ ...eventsFixture(2, 'c1', 5), window: WINDOW }));
    expect(applyLiveTick(client, QUERY, tick([eventFixture(6)]))).toBe(false);
    expect(client.getQueryData<Data>(eventsQueryKey(QUERY))?.pages[0]?.events.map((e) => e.seq)).toEqual([6, 5, 4]);
  });

  it('asks for a refetch when the tick carried fewer events than it counted', () => {
    const client = createTestQueryClient();
    client.setQueryData(eventsQueryKey(QUERY), data({ ...eventsFixture(2, null, 5), window: WINDOW }));
    expect(applyLiveTick(client, QUERY, tick([eventFixture(30)], 25))).toBe(true);
  });

  it('counts pending events instead of moving rows when more pages are loaded', () => {
    const client = createTestQueryClient();
    const pages = data({ ...eventsFixture(2, 'c1', 5), window: WINDOW }, { ...eventsFixture(2, null, 3), window: WINDOW });
    client.setQueryData(eventsQueryKey(QUERY), pages);
    applyLiveTick(client, QUERY, tick([eventFixture(6)]));
    applyLiveTick(client, QUERY, tick([eventFixture(7), eventFixture(8)]));
    expect(client.getQueryData(eventsQueryKey(QUERY))).toBe(pages);
    expect(client.getQueryData(pendingEventsKey(QUERY))).toBe(3);
  });
});

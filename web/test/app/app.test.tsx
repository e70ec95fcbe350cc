import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { App } from '@/app';

import { NOW, eventFixture, summaryFixture } from '../fixtures';
import { FakeWebSocket, createTestQueryClient, jsonResponse, readAnswer } from '../test-utils';

/** The collector, as seen through fetch: counts requests per path. */
function stubCollector() {
  const calls: URL[] = [];
  let total = 1200;
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), window.location.origin);
    calls.push(url);
    // The summary's total changes between refetches; the rest is the default fixtures.
    return url.pathname === '/api/v1/stats/summary' ? jsonResponse(summaryFixture({ total })) : readAnswer(url.pathname);
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    count: (path: string) => calls.filter((u) => u.pathname === path).length,
    setTotal: (n: number) => {
      total = n;
    },
  };
}

function tick(total: number, events = [] as ReturnType<typeof eventFixture>[]) {
  return { type: 'tick', from: 0, to: 1000, total, byCode: [], byService: [], events, skippedTicks: 0 };
}

describe('app', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads the overview for the URL, then updates it from live ticks without a reload', async () => {
    // Only the clock is pinned (timers stay real): the window sent is exactly the last hour before NOW.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const collector = stubCollector();
    window.history.replaceState(null, '', '/?range=1h&service=chat&live=1');
    render(<App queryClient={createTestQueryClient()} />);

    expect(await screen.findByTestId('total-closures')).toHaveTextContent(/^1,200$/);
    const window1h = { from: String(NOW - 3_600_000), to: String(NOW), service: 'chat' };
    const params = (path: string) => collector.calls.filter((u) => u.pathname === path).map((u) => Object.fromEntries(u.searchParams));
    expect(params('/api/v1/stats/summary')).toEqual([window1h]);
    expect(params('/api/v1/stats/timeseries')).toEqual([{ ...window1h, groupBy: 'category' }]);

    const socket = FakeWebSocket.latest();
    expect(socket.url).toBe('ws://localhost:3000/api/v1/live?service=chat');
    act(() => socket.open());
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Live$/);

    // An empty tick changes nothing; one with closures refetches the view once.
    act(() => socket.send(tick(0)));
    expect(collector.count('/api/v1/stats/summary')).toBe(1);
    collector.setTotal(1201);
    act(() => socket.send(tick(1)));
    await waitFor(() => expect(screen.getByTestId('total-closures')).toHaveTextContent(/^1,201$/));
    expect(collector.count('/api/v1/stats/summary')).toBe(2);
    expect(collector.count('/api/v1/stats/lifetimes')).toBe(2);
  });

  it('pauses live updates and writes it to the URL', async () => {
    stubCollector();
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/?range=6h');
    render(<App queryClient={createTestQueryClient()} />);
    await user.click(screen.getByTestId('live-toggle'));
    expect(screen.getByTestId('live-status')).toHaveTextContent('Paused');
    expect(window.location.search).toBe('?range=6h&live=0');
  });

  it('moves to the events explorer keeping the filters, and prepends live events', async () => {
    const user = userEvent.setup();
    stubCollector();
    window.history.replaceState(null, '', '/?range=15m&code=1006');
    render(<App queryClient={createTestQueryClient()} />);
    await screen.findByTestId('total-closures');

    await user.click(screen.getByTestId('nav-events'));
    expect(window.location.pathname).toBe('/events');
    expect(window.location.search).toBe('?range=15m&code=1006');
    const table = await screen.findByTestId('events-table');
    expect(within(table).getAllByTestId('event-row')).toHaveLength(3);

    act(() => FakeWebSocket.latest().open());
    act(() => FakeWebSocket.latest().send(tick(1, [eventFixture(101, { code: 1011 })])));
    await waitFor(() => expect(within(table).getAllByTestId('event-row')).toHaveLength(4));
    const rows = within(table).getAllByTestId('event-row');
    expect(rows.map((r) => r.getAttribute('data-seq'))).toEqual(['101', '100', '99', '98']);
    expect(rows[0]).toHaveTextContent('1011 Internal Error (Error)');

    act(() => {
      window.history.back();
    });
    await waitFor(() => expect(window.location.pathname).toBe('/'));
    expect(await screen.findByTestId('tile-abnormal-share')).toBeInTheDocument();
  });

  it('explains an unreachable collector and what to do', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    render(<App queryClient={createTestQueryClient()} />);
    const page = await screen.findByTestId('overview-error');
    // One explanation for the page, not the same error in every panel.
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(page).toHaveTextContent(
      'Could not load the summary: Cannot reach the collector at http://localhost:3000: is `npm start` running?',
    );
    expect(screen.getByTestId('theme-toggle')).toBeInTheDocument();
    expect(screen.getByTestId('range-picker')).toBeInTheDocument();
  });

  it('shows a way back for unknown paths', () => {
    stubCollector();
    window.history.replaceState(null, '', '/nope');
    render(<App queryClient={createTestQueryClient()} />);
    expect(screen.getByTestId('not-found')).toHaveTextContent('No page at /nope');
  });
});

import type { Reconnects } from '@closewatch/server/api-types';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { App } from '@/app';
import { EMPTY_FILTERS, type ViewState } from '@/features/filters/lib/view-state';
import { getReconnectsQueryOptions } from '@/features/reconnects/api/get-reconnects';
import { ReconnectsPage } from '@/features/reconnects/components/reconnects-page';

import { NOW } from '../../fixtures';
import { createTestQueryClient, jsonResponse, readAnswer, renderWithClient, stubFetch } from '../../test-utils';
import { emptyReconnectsFixture, reconnectsFixture } from './reconnect-fixtures';

const VIEW: ViewState = { range: { kind: 'relative', preset: '1h' }, filters: EMPTY_FILTERS, live: false };

function renderPage(data: Reconnects | null, view: ViewState = VIEW) {
  const client = createTestQueryClient();
  if (data !== null) client.setQueryData(getReconnectsQueryOptions({ range: view.range, filters: view.filters }).queryKey, data);
  const onClearFilters = vi.fn();
  const onShowLastWeek = vi.fn();
  const utils = renderWithClient(<ReconnectsPage view={view} onClearFilters={onClearFilters} onShowLastWeek={onShowLastWeek} />, client);
  return { ...utils, onClearFilters, onShowLastWeek };
}

const text = (testId: string) => screen.getByTestId(testId).textContent;

describe('reconnects panel', () => {
  it('shows every headline number with its unit and window', () => {
    renderPage(reconnectsFixture());
    const panel = screen.getByTestId('reconnects-panel');
    expect(within(panel).getByRole('heading', { level: 2 })).toHaveTextContent('Reconnects');
    expect(panel).toHaveTextContent('how clients came back after server-initiated 1012, 1001 and 1013 closes, last 1 h');
    expect(text('figure-closes-value')).toBe('1,200');
    expect(text('figure-reconnected-value')).toBe('1,000');
    expect(text('figure-not-returned-value')).toBe('200');
    expect(text('figure-compliant-share-value')).toBe('62%');
    expect(text('figure-too-fast-value')).toBe('300');
    expect(text('figure-median-delay-value')).toBe('7.2 s');
    expect(text('figure-p90-delay-value')).toBe('24.5 s');
    expect(screen.getByTestId('figure-compliant-share-value')).toHaveAttribute('data-value', '0.62');
    expect(text('figure-closes')).toBe('Reconnect-advising closes1,200 closesserver-initiated 1012, 1001 and 1013last 1 h');
    expect(text('figure-not-returned')).toBe(
      'Not returned200 clients16.7% of the closes; not back within 10 min of the close, or by the end of the rangewithin 10 min of closes in the last 1 h',
    );
    expect(text('figure-compliant-share')).toContain('62% of reconnects');
    expect(text('figure-median-delay')).toContain('7.2 s after the close');
  });

  it('draws the delay histogram with the advised 5-30 s band and the compliant share', () => {
    renderPage(reconnectsFixture());
    expect(text('compliant-share')).toBe('62% of the 1,000 reconnects waited 5 s \u2013 30 s, the advised randomized delay.');
    const band = within(screen.getByTestId('reconnect-delay-bands')).getByRole('listitem');
    expect(band).toHaveTextContent('Advised delay 5 s \u2013 30 s: 62% of the reconnects');
    expect(band).toHaveAttribute('data-from', '5 s - 10 s');
    expect(band).toHaveAttribute('data-to', '20 s - 30 s');
    expect(band).toHaveAttribute('data-tone', 'good');
    const table = screen.getByTestId('reconnect-delay-data');
    expect(within(table).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual([
      '0 s - 1 s200',
      '1 s - 5 s100',
      '5 s - 10 s300',
      '10 s - 20 s220',
      '20 s - 30 s100',
      '30 s - 1 min50',
      '1 min or more30',
    ]);
    const legend = screen.getByTestId('reconnect-delay-section').querySelector('.chart-legend');
    expect(Array.from(legend?.querySelectorAll('li') ?? [], (li) => li.textContent)).toEqual([
      'Too fast (under 5 s)300 reconnects',
      'Advised (5 s \u2013 30 s)620 reconnects',
      'Later (30 s or more)80 reconnects',
    ]);
  });

  it('charts the storm of the last mass close and says what it means', () => {
    renderPage(reconnectsFixture());
    expect(text('storm-verdict')).toBe('Reconnect storm: peak 40 reconnects/s at +2 s, 12x the normal 3.3/s.');
    expect(screen.getByTestId('storm-verdict')).toHaveAttribute('data-level', 'storm');
    expect(text('storm-context')).toBe(
      '900 closes in the second at 2026-11-26 09:40:00; normal rate 3.3 connections opened/s over the last 1 h, outside the storm.',
    );
    const table = screen.getByTestId('reconnect-storm-data');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Seconds from the mass close',
      'Closes (1001, 1012, 1013)',
      'Reconnects',
    ]);
    expect(within(table).getByRole('rowheader', { name: '0 s' }).parentElement).toHaveTextContent(/^0 s9002$/);
    const legend = screen.getByTestId('reconnect-storm-section').querySelector('.chart-legend');
    expect(Array.from(legend?.querySelectorAll('li') ?? [], (li) => li.textContent)).toEqual([
      'Closes (1001, 1012, 1013) (right axis)900 connections',
      'Reconnects115 connections',
    ]);
    expect(within(screen.getByTestId('reconnect-storm-bands')).getByRole('listitem')).toHaveTextContent(
      'Peak: 40 reconnects in the second at +2 s (09:40:02)',
    );
  });

  it('lists the codes with their registry names', () => {
    renderPage(reconnectsFixture());
    const rows = within(screen.getByTestId('reconnect-codes')).getAllByRole('row').slice(1);
    expect(rows.map((r) => Array.from(r.querySelectorAll('td'), (c) => c.textContent))).toEqual([
      ['1012 Service Restart (Restart)', '900', '800', '100', '65%'],
      ['1001 Going Away (Away)', '250', '170', '80', '50%'],
      ['1013 Try Again Later (Again)', '50', '30', '20', '\u2014'],
    ]);
  });

  it('lists the offenders, marking a fixed delay and saying why it matters', () => {
    renderPage(reconnectsFixture());
    const rows = screen.getAllByTestId('offender-row');
    expect(rows.map((r) => Array.from(r.querySelectorAll('td'), (c) => c.textContent))).toEqual([
      ['User agent', 'okhttp/4.12', '400', '280', '70%', '1 s', '40 ms', 'Fixed delay'],
      ['Client key prefix', 'a1b2', '50', '20', '40%', '300 ms', '2.5 s', 'randomized'],
    ]);
    expect(within(rows[0] as HTMLElement).getByTestId('fixed-delay')).toHaveAttribute(
      'title',
      expect.stringContaining('A fixed delay shows as a spike, not a spread'),
    );
    expect(text('fixed-delay-hint')).toContain('after a restart they all come back in the same second');
  });

  it('exports the view as CSV of kind reconnects', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    try {
      renderPage(reconnectsFixture(), { ...VIEW, filters: { ...EMPTY_FILTERS, service: 'chat' } });
      const link = screen.getByTestId('export-reconnects');
      const url = new URL(link.getAttribute('href') ?? '', 'http://localhost');
      expect(url.pathname).toBe('/api/v1/export.csv');
      expect(Object.fromEntries(url.searchParams)).toEqual({ from: String(NOW - 3_600_000), to: String(NOW), service: 'chat', kind: 'reconnects' });
      expect(link).toHaveAccessibleName('Export the reconnects as CSV');
    } finally {
      vi.useRealTimers();
    }
  });

  it('says how to fill the page when there is nothing to measure', async () => {
    const user = userEvent.setup();
    const { onShowLastWeek } = renderPage(emptyReconnectsFixture());
    const empty = screen.getByTestId('reconnects-empty');
    expect(empty).toHaveAttribute('data-reason', 'none');
    expect(screen.getByTestId('reconnects-panel')).toHaveTextContent('how clients came back after server-initiated 1001, 1012 and 1013 closes, last 1 h');
    expect(empty).toHaveTextContent('No server-initiated 1001, 1012 or 1013 closes in the last 1 h');
    expect(empty).toHaveTextContent("instrument(wss, { apiKey: process.env.CLOSEWATCH_INGEST_KEY, service: 'chat' });");
    expect(empty).toHaveTextContent('Nothing else to set: clientKey is on by default.');
    expect(empty).toHaveTextContent('Reconnects appear once the clients\u2019 next connections close');
    expect(empty).toHaveTextContent('Clients not back within 10 min count as not returned.');
    expect(screen.queryByTestId('reconnect-figures')).not.toBeInTheDocument();
    await user.click(within(empty).getByRole('button', { name: 'Show the last 7 d' }));
    expect(onShowLastWeek).toHaveBeenCalledTimes(1);
  });

  it('names the filters when they hide every close', async () => {
    const user = userEvent.setup();
    const { onClearFilters } = renderPage(emptyReconnectsFixture(), { ...VIEW, filters: { ...EMPTY_FILTERS, service: 'nope' } });
    const empty = screen.getByTestId('reconnects-empty');
    expect(empty).toHaveAttribute('data-reason', 'filtered');
    expect(empty).toHaveTextContent('No server-initiated 1001, 1012 or 1013 closes match these filters in the last 1 h.');
    await user.click(within(empty).getByRole('button', { name: 'Clear filters' }));
    expect(onClearFilters).toHaveBeenCalledTimes(1);
  });

  it('explains closes nobody came back from yet', () => {
    renderPage(
      reconnectsFixture({ reconnected: 0, notReturned: 1200, compliantShare: null, tooFast: 0, medianDelayMs: null, p90DelayMs: null, delayHistogram: [], offenders: [] }),
    );
    expect(text('none-returned')).toContain('None of the 1,200 closed clients has come back yet.');
    expect(text('figure-compliant-share-value')).toBe('\u2014');
    expect(text('delay-histogram-empty')).toBe('No client came back within 10 min of these closes, so there is no delay to chart yet.');
    expect(screen.getByTestId('offenders-empty')).toHaveTextContent('No client population reconnected faster than 5 s');
  });

  it('asks the collector with the view\u2019s window and filters, and shows loading, then the API\u2019s error', async () => {
    let answer: (response: Response) => void = () => {};
    const calls = stubFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    try {
      renderPage(null, { ...VIEW, filters: { ...EMPTY_FILTERS, service: 'chat', route: '/ws' } });
      expect(await screen.findByRole('status')).toHaveTextContent('Loading the reconnects');
      expect(calls.map((c) => [c.path, Object.fromEntries(new URLSearchParams(c.search))])).toEqual([
        ['/api/v1/stats/reconnects', { from: String(NOW - 3_600_000), to: String(NOW), service: 'chat', route: '/ws' }],
      ]);
      answer(jsonResponse({ error: { code: 'INVALID_QUERY', message: 'route: must start with /' } }, 400));
      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent('Could not load the reconnects: route: must start with /');
      expect(alert).toHaveTextContent('A filter in the URL was rejected: fix it in the filter bar or clear the filters.');
      expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });

  it('is a page of its own, in the navigation, that keeps range and filters', async () => {
    const user = userEvent.setup();
    const calls = stubFetch((call) => (call.path === '/api/v1/stats/reconnects' ? jsonResponse(reconnectsFixture()) : readAnswer(call.path)));
    window.history.replaceState(null, '', '/?range=6h&service=chat&live=0');
    render(<App queryClient={createTestQueryClient()} />);
    await screen.findByTestId('total-closures');
    await user.click(screen.getByTestId('nav-reconnects'));
    expect(window.location.pathname).toBe('/reconnects');
    expect(window.location.search).toBe('?range=6h&service=chat&live=0');
    expect(await screen.findByTestId('figure-closes-value')).toHaveTextContent('1,200');
    expect(screen.getByTestId('nav-reconnects')).toHaveAttribute('aria-current', 'page');
    expect(document.title).toBe('Reconnects \u00b7 closewatch');
    // The filter bar is there and its filters reach the read.
    expect(screen.getByTestId('range-picker')).toBeInTheDocument();
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/stats/reconnects')).toBe(true));
    const read = calls.find((c) => c.path === '/api/v1/stats/reconnects');
    expect(new URLSearchParams(read?.search).get('service')).toBe('chat');
    const params = new URLSearchParams(read?.search);
    expect(Number(params.get('to')) - Number(params.get('from'))).toBe(6 * 3_600_000);
  });
});

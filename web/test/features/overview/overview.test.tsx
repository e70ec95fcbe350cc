import type { Summary } from '@closewatch/server/api-types';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { EMPTY_FILTERS, type ViewState } from '@/features/filters/lib/view-state';
import { getBreakdownQueryOptions } from '@/features/overview/api/get-breakdown';
import { getLifetimesQueryOptions } from '@/features/overview/api/get-lifetimes';
import { getReasonsQueryOptions } from '@/features/overview/api/get-reasons';
import { getSummaryQueryOptions } from '@/features/overview/api/get-summary';
import { getTimeseriesQueryOptions } from '@/features/overview/api/get-timeseries';
import { Overview } from '@/features/overview/components/overview';

import {
  breakdownFixture,
  categoryTimeseriesFixture,
  codeTimeseriesFixture,
  emptySummaryFixture,
  lifetimesFixture,
  reasonsFixture,
  summaryFixture,
} from '../../fixtures';
import { createTestQueryClient, renderWithClient } from '../../test-utils';

const VIEW: ViewState = { range: { kind: 'relative', preset: '1h' }, filters: EMPTY_FILTERS, live: true };

function prefilledClient(view: ViewState, summary: Summary = summaryFixture()) {
  const client = createTestQueryClient();
  const q = { range: view.range, filters: view.filters };
  client.setQueryData(getSummaryQueryOptions(q).queryKey, summary);
  client.setQueryData(getTimeseriesQueryOptions({ ...q, groupBy: 'category' }).queryKey, categoryTimeseriesFixture());
  client.setQueryData(
    getTimeseriesQueryOptions({ ...q, filters: { ...q.filters, category: 'server-error' }, groupBy: 'code' }).queryKey,
    codeTimeseriesFixture(),
  );
  client.setQueryData(getReasonsQueryOptions({ ...q, limit: 10 }).queryKey, reasonsFixture());
  client.setQueryData(getBreakdownQueryOptions(q).queryKey, breakdownFixture());
  client.setQueryData(getLifetimesQueryOptions(q).queryKey, lifetimesFixture());
  return client;
}

function renderOverview(view: ViewState = VIEW, summary?: Summary) {
  const onFiltersChange = vi.fn();
  const utils = renderWithClient(
    <Overview view={view} onFiltersChange={onFiltersChange} onShowLastWeek={() => {}} />,
    prefilledClient(view, summary),
  );
  return { ...utils, onFiltersChange };
}

describe('overview', () => {
  it('shows the four tiles with exact values, units and window', () => {
    renderOverview();
    expect(screen.getByTestId('tile-closures-per-minute-value')).toHaveTextContent(/^20$/);
    expect(screen.getByTestId('tile-abnormal-share-value')).toHaveTextContent(/^25%$/);
    expect(screen.getByTestId('tile-error-rate-value')).toHaveTextContent(/^1$/);
    expect(screen.getByTestId('tile-again-rate-value')).toHaveTextContent(/^0\.5$/);
    const errorTile = screen.getByTestId('tile-error-rate');
    expect(errorTile).toHaveTextContent('1011 Internal Error (Error) rate');
    expect(errorTile).toHaveTextContent('closures/min');
    expect(errorTile).toHaveTextContent('last 1 h');
    expect(screen.getByTestId('tile-again-rate-change')).toHaveTextContent('\u221250% vs previous 1 h');
  });

  it('shows the exact total under the tiles', () => {
    renderOverview();
    expect(screen.getByTestId('total-closures')).toHaveTextContent(/^1,200$/);
    expect(screen.getByTestId('total-closures')).toHaveAttribute('data-value', '1200');
    expect(screen.getByTestId('total-closures').parentElement).toHaveTextContent('1,200 closures in the last 1 h');
  });

  it('lists every code with its name and count, largest first', () => {
    renderOverview();
    const table = screen.getByTestId('code-distribution');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-testid'))).toEqual([
      'code-row-1000',
      'code-row-1006',
      'code-row-1001',
      'code-row-1011',
      'code-row-1013',
    ]);
    expect(screen.getByTestId('code-row-1011')).toHaveTextContent('1011 Internal Error (Error)');
    expect(screen.getByTestId('code-count-1011')).toHaveTextContent(/^60$/);
    expect(screen.getByTestId('code-count-1000')).toHaveTextContent(/^700$/);
    expect(within(screen.getByTestId('code-row-1006')).getByText('20%')).toBeInTheDocument();
  });

  it('exposes chart data as hidden tables', () => {
    renderOverview();
    const categories = screen.getByTestId('closures-by-category-data');
    expect(within(categories).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Bucket start',
      'Normal',
      'Abnormal (no close frame)',
    ]);
    expect(within(categories).getAllByRole('row')).toHaveLength(6);
    const bars = screen.getByTestId('code-distribution-chart-data');
    expect(within(bars).getByRole('rowheader', { name: '1006 Abnormal Closure (Abnormal)' }).nextSibling).toHaveTextContent(
      /^240$/,
    );
    const lifetimes = screen.getByTestId('lifetime-histogram-data');
    const wallRow = within(lifetimes).getByRole('rowheader', { name: '60 s - 65 s' }).parentElement;
    expect(wallRow?.querySelector('td[data-key="1006"]')).toHaveTextContent(/^80$/);
    expect(screen.getByTestId('lifetime-wall')).toHaveTextContent('A wall of 1006 Abnormal Closure (Abnormal) at 60 s - 65 s');
  });

  it('drills down from a category to its codes and back', async () => {
    const user = userEvent.setup();
    const client = prefilledClient(VIEW);
    const serverErrors = { ...categoryTimeseriesFixture() };
    serverErrors.series = [...serverErrors.series, { key: 'server-error', label: 'Server error', total: 5 }];
    serverErrors.points = serverErrors.points.map((p, i) => ({ ...p, values: { ...p.values, 'server-error': i } }));
    client.setQueryData(getTimeseriesQueryOptions({ ...VIEW, groupBy: 'category' }).queryKey, serverErrors);
    renderWithClient(<Overview view={VIEW} onFiltersChange={() => {}} onShowLastWeek={() => {}} />, client);

    await user.click(screen.getByRole('button', { name: /Server error/ }));
    expect(screen.getByRole('heading', { name: 'Server error: closures over time by code' })).toBeInTheDocument();
    const codes = screen.getByTestId('closures-by-code-data');
    expect(within(codes).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Bucket start',
      '1011 Internal Error (Error)',
      '1014 Bad Gateway',
    ]);
    await user.click(screen.getByRole('button', { name: /All categories/ }));
    expect(screen.getByTestId('closures-by-category-data')).toBeInTheDocument();
  });

  it('adds a code to the filters from the distribution', async () => {
    const user = userEvent.setup();
    const { onFiltersChange } = renderOverview();
    await user.click(screen.getByRole('button', { name: 'Filter by 1013 Try Again Later (Again)' }));
    expect(onFiltersChange).toHaveBeenCalledTimes(1);
    const update = onFiltersChange.mock.calls[0]?.[0] as (f: typeof EMPTY_FILTERS) => typeof EMPTY_FILTERS;
    expect(update(EMPTY_FILTERS).codes).toEqual([1013]);
  });

  it('shows top reasons per code', () => {
    renderOverview();
    const reasons = screen.getByTestId('reasons-1011');
    expect(reasons).toHaveTextContent('1011 Internal Error (Error)');
    expect(reasons).toHaveTextContent('handler failed: <id>');
    expect(reasons).toHaveTextContent('(no reason sent)');
    expect(within(reasons).getByText('45')).toBeInTheDocument();
    expect(within(reasons).getByText('75%')).toBeInTheDocument();
  });

  it('shows the service breakdown', () => {
    renderOverview();
    const chat = screen.getByTestId('service-row-chat');
    expect(within(chat).getAllByRole('cell').map((c) => c.textContent)).toEqual(['chat', '1,000', '250', '25%', '50', '20']);
  });

  it('shows how to send the first event when nothing was ever recorded', () => {
    renderOverview(VIEW, emptySummaryFixture());
    const empty = screen.getByTestId('empty-state');
    expect(empty).toHaveTextContent('No closures recorded yet');
    expect(empty).toHaveTextContent(
      "instrument(wss, { apiKey: process.env.CLOSEWATCH_INGEST_KEY, service: 'chat' });",
    );
    expect(empty).toHaveTextContent('curl -X POST http://localhost:3000/api/v1/events');
    expect(empty).toHaveTextContent('"id":"first-1"');
    expect(empty).toHaveTextContent('npm run demo');
    expect(screen.queryByTestId('tile-closures-per-minute')).not.toBeInTheDocument();
  });

  it('keeps tiles (with zeros) when filters match nothing, and says so', () => {
    const view = { ...VIEW, filters: { ...EMPTY_FILTERS, service: 'nope' } };
    renderOverview(view, emptySummaryFixture());
    expect(screen.queryByTestId('empty-state')).not.toBeInTheDocument();
    expect(screen.getByTestId('total-closures')).toHaveTextContent(/^0$/);
    expect(screen.getByTestId('no-match')).toHaveTextContent('No closures match these filters in the last 1 h');
  });
});

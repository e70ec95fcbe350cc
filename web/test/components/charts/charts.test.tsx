import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { BarChart } from '@/components/charts/bar-chart';
import { Histogram } from '@/components/charts/histogram';
import { StackedAreaChart } from '@/components/charts/stacked-area-chart';
import { flattenRows, seriesTotals } from '@/components/charts/types';

const SERIES = [
  { key: 'a.b', label: 'Service a.b', color: 'red' },
  { key: 'c', label: 'C', color: 'blue' },
];

describe('chart wrappers', () => {
  it('flattens rows to index keys so dotted series keys are not read as paths', () => {
    expect(flattenRows([{ x: 1, values: { 'a.b': 2 } }], SERIES)).toEqual([{ x: 1, s0: 2, s1: 0 }]);
    expect(seriesTotals([{ x: 1, values: { 'a.b': 2, c: 1 } }, { x: 2, values: { c: 4 } }], SERIES)).toEqual({
      'a.b': 2,
      c: 5,
    });
  });

  it('renders the stacked area data as a hidden table and a legend with totals', async () => {
    const user = userEvent.setup();
    const onSeriesSelect = vi.fn();
    render(
      <StackedAreaChart
        id="demo"
        caption="Demo (closures per 1 min, last 1 h)"
        rows={[
          { x: 0, values: { 'a.b': 3, c: 1 } },
          { x: 60_000, values: { c: 2 } },
        ]}
        series={SERIES}
        unit="closures"
        formatTick={String}
        formatTime={(t) => `t=${t}`}
        onSeriesSelect={onSeriesSelect}
        selectHint="Drill into"
      />,
    );
    const table = screen.getByTestId('demo-data');
    expect(table.parentElement).toHaveClass('visually-hidden');
    expect(within(table).getByText('Demo (closures per 1 min, last 1 h)')).toBeInTheDocument();
    expect(within(table).getAllByRole('row').map((r) => r.textContent)).toEqual([
      'Bucket startService a.bC',
      't=031',
      't=6000002',
    ]);
    expect(screen.getByRole('button', { name: /^Service a\.b/ })).toHaveTextContent('Service a.b3 closures');
    await user.click(screen.getByRole('button', { name: /^Service a\.b/ }));
    expect(onSeriesSelect).toHaveBeenCalledWith('a.b');
  });

  it('renders bar and histogram data tables', () => {
    render(
      <>
        <BarChart id="bars" caption="Bars" rows={[{ x: 'chat', values: { c: 7 } }]} series={SERIES} unit="closures" />
        <Histogram id="hist" caption="Hist" bins={[{ x: '0 s - 1 s', values: { c: 4, 'a.b': 1 } }]} series={SERIES} unit="closures" />
      </>,
    );
    expect(within(screen.getByTestId('bars-data')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['0', '7']);
    expect(within(screen.getByTestId('hist-data')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1', '4']);
  });
});

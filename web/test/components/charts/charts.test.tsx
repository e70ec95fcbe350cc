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

  it('lists the bands of a bar chart under it, with the bins they span, and a legend with totals', () => {
    render(
      <BarChart
        id="storm"
        caption="Storm"
        rows={[
          { x: '0 s', values: { c: 9 } },
          { x: '+1 s', values: { c: 3, 'a.b': 2 } },
        ]}
        series={SERIES}
        unit="per second"
        legend
        bands={[
          { key: 'peak', from: '0 s', to: '0 s', label: 'Peak', tone: 'critical' },
          { key: 'gone', from: '+1 s', to: '+9 s', label: 'Off the chart', tone: 'info' },
        ]}
        bandsTitle="Peak"
      />,
    );
    const bands = screen.getByTestId('storm-bands');
    expect(bands).toHaveAccessibleName('Peak');
    // A band whose bins are not all on the chart cannot be placed: it is left out, not drawn wrong.
    expect(within(bands).getAllByRole('listitem').map((b) => [b.textContent, b.dataset.from, b.dataset.to, b.dataset.tone])).toEqual([
      ['Peak', '0 s', '0 s', 'critical'],
    ]);
    expect(screen.getAllByRole('listitem').filter((li) => li.closest('.chart-legend')).map((li) => li.textContent)).toEqual([
      'Service a.b2 per second',
      'C12 per second',
    ]);
  });

  it('passes bands and per-bin colors through the histogram', () => {
    render(
      <Histogram
        id="delay"
        caption="Delay"
        bins={[
          { x: '0 s - 5 s', values: { c: 1 } },
          { x: '5 s - 30 s', values: { c: 4 } },
        ]}
        series={[SERIES[1] as (typeof SERIES)[number]]}
        unit="reconnects"
        rowColors={['red', 'green']}
        bands={[{ key: 'advised', from: '5 s - 30 s', to: '5 s - 30 s', label: 'Advised 5 s - 30 s', tone: 'good' }]}
        bandsTitle="Advised delay"
      />,
    );
    expect(within(screen.getByTestId('delay-bands')).getByRole('listitem')).toHaveTextContent('Advised 5 s - 30 s');
    expect(screen.queryByTestId('hist-bands')).not.toBeInTheDocument();
  });

  it('shades a band over the bins it spans once the chart has a width', () => {
    // jsdom lays nothing out; a width lets the chart draw its SVG.
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 600, 300));
    const { container } = render(
      <Histogram
        id="delay"
        caption="Delay"
        bins={['0 s - 5 s', '5 s - 10 s', '10 s - 30 s', '30 s - 1 min'].map((x, i) => ({ x, values: { c: i + 1 } }))}
        series={[SERIES[1] as (typeof SERIES)[number]]}
        unit="reconnects"
        bands={[{ key: 'advised', from: '5 s - 10 s', to: '10 s - 30 s', label: 'Advised', tone: 'good' }]}
      />,
    );
    const areas = container.querySelectorAll('.recharts-reference-area-rect');
    expect(areas).toHaveLength(1);
    const bars = Array.from(container.querySelectorAll('.recharts-bar-rectangle path'));
    expect(bars).toHaveLength(4);
    // From the start of the second bin to the end of the third, and no further.
    const span = (el: Element | undefined) => {
      const x = Number(el?.getAttribute('x'));
      return [x, x + Number(el?.getAttribute('width'))] as const;
    };
    const [areaFrom, areaTo] = span(areas[0]);
    expect(areaFrom).toBeGreaterThan(span(bars[0])[1]);
    expect(areaFrom).toBeLessThanOrEqual(span(bars[1])[0]);
    expect(areaTo).toBeGreaterThanOrEqual(span(bars[2])[1]);
    expect(areaTo).toBeLessThan(span(bars[3])[0]);
  });

  it('draws the series it is told to against a second axis on the right, and says so in the legend', () => {
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 600, 300));
    const { container } = render(
      <BarChart
        id="storm"
        caption="Storm"
        rows={[
          { x: '0 s', values: { c: 900, 'a.b': 2 } },
          { x: '+1 s', values: { 'a.b': 40 } },
        ]}
        series={SERIES}
        unit="per second"
        legend
        rightAxisKeys={['c']}
      />,
    );
    expect(container.querySelectorAll('.recharts-yAxis')).toHaveLength(2);
    expect(container.querySelector('.recharts-yAxis [orientation="right"]')).not.toBeNull();
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Service a.b42 per second', 'C (right axis)900 per second']);
    // The data table keeps the series' own names.
    expect(within(screen.getByTestId('storm-data')).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Category', 'Service a.b', 'C']);
  });
});

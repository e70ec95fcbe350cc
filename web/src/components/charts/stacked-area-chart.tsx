import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';

import { bandArea, ChartBandList } from './chart-band-list';
import { ChartCanvas } from './chart-canvas';
import { ChartDataTable } from './chart-data-table';
import { ChartLegend } from './chart-legend';
import { ChartTooltipContent } from './chart-tooltip';
import { clipBands, flattenRows, seriesTotals, type ChartRow, type ChartSeries, type TimeBand } from './types';

export interface StackedAreaChartProps {
  /** Chart id; the hidden data table is `<id>-data`. */
  id: string;
  /** What the chart shows, with unit and window; also the data table caption. */
  caption: string;
  /** x is epoch milliseconds. */
  rows: ReadonlyArray<ChartRow<number>>;
  series: readonly ChartSeries[];
  /** Unit of one value, e.g. `closures`. */
  unit: string;
  formatTick: (t: number) => string;
  formatTime: (t: number) => string;
  onSeriesSelect?: ((key: string) => void) | undefined;
  selectHint?: string | undefined;
  height?: number;
  /** Stretches to shade (alert episodes), listed under the chart too. */
  bands?: readonly TimeBand[];
  /** What the bands are, for their list: `Alerts fired`. */
  bandsTitle?: string;
}

export function StackedAreaChart({
  id,
  caption,
  rows,
  series,
  unit,
  formatTick,
  formatTime,
  onSeriesSelect,
  selectHint,
  height = 260,
  bands = [],
  bandsTitle = 'Marked',
}: StackedAreaChartProps) {
  const data = flattenRows(rows, series);
  const xs = rows.map((r) => r.x);
  const first = Math.min(...xs);
  // A band in the newest bucket starts after that bucket's x: with bands, the axis runs to the bucket's end.
  const end = Math.max(...xs) + (xs.length > 1 ? Math.abs((xs[1] as number) - (xs[0] as number)) : 0);
  const shown = xs.length === 0 ? [] : clipBands(bands, first, end);
  return (
    <figure className="chart" data-testid={id}>
      <ChartCanvas height={height}>
        {(width) => (
          <AreaChart width={width} height={height} data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis
              dataKey="x"
              type="number"
              scale="time"
              domain={shown.length > 0 ? [first, end] : ['dataMin', 'dataMax']}
              tickFormatter={(t: number) => formatTick(t)}
              stroke="var(--muted)"
              fontSize={12}
              minTickGap={24}
            />
            <YAxis allowDecimals={false} stroke="var(--muted)" fontSize={12} width={48} />
            <Tooltip
              content={(props) => (
                <ChartTooltipContent
                  active={props.active}
                  label={props.label}
                  payload={props.payload}
                  unit={unit}
                  formatLabel={(label) => (typeof label === 'number' ? formatTime(label) : String(label ?? ''))}
                />
              )}
            />
            {shown.map(bandArea)}
            {series.map((s, i) => (
              <Area
                key={s.key}
                type="monotone"
                dataKey={`s${i}`}
                name={s.label}
                stackId="stack"
                stroke={s.color}
                fill={s.color}
                fillOpacity={0.55}
                isAnimationActive={false}
                onClick={onSeriesSelect ? () => onSeriesSelect(s.key) : undefined}
                style={onSeriesSelect ? { cursor: 'pointer' } : undefined}
              />
            ))}
          </AreaChart>
        )}
      </ChartCanvas>
      <ChartLegend
        series={series}
        totals={seriesTotals(rows, series)}
        unit={unit}
        onSelect={onSeriesSelect}
        selectHint={selectHint}
      />
      <ChartBandList id={id} title={bandsTitle} bands={shown} />
      <ChartDataTable
        id={id}
        caption={caption}
        xLabel="Bucket start"
        rows={rows}
        series={series}
        formatX={(x) => (typeof x === 'number' ? formatTime(x) : x)}
      />
    </figure>
  );
}

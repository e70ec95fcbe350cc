import { Bar, BarChart as RechartsBarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';

import { bandArea, ChartBandList } from './chart-band-list';
import { ChartCanvas } from './chart-canvas';
import { ChartDataTable } from './chart-data-table';
import { ChartLegend } from './chart-legend';
import { ChartTooltipContent } from './chart-tooltip';
import { flattenRows, seriesTotals, type CategoryBand, type ChartRow, type ChartSeries } from './types';

export interface BarChartProps {
  id: string;
  caption: string;
  /** x is the category label shown on the axis (a code label, a service...). */
  rows: ReadonlyArray<ChartRow<string>>;
  series: readonly ChartSeries[];
  unit: string;
  /** `horizontal` bars grow to the right and suit long labels like code names. */
  orientation?: 'horizontal' | 'vertical';
  stacked?: boolean;
  /** Colors per row instead of per series (single-series bars such as codes). */
  rowColors?: readonly string[];
  xLabel?: string;
  onBarClick?: ((x: string) => void) | undefined;
  height?: number;
  /** Width of the label axis for horizontal bars. */
  labelWidth?: number;
  /** Bars touch each other, as a histogram's bins should. */
  gapless?: boolean;
  /** Slanted axis labels when many categories sit side by side. */
  slantLabels?: boolean;
  /** Label only as many categories as fit (a long run of seconds); the default labels every one. */
  sparseLabels?: boolean;
  /** Runs of categories to shade (vertical bars only), listed under the chart too. */
  bands?: readonly CategoryBand[];
  /** What the bands are, for their list: `Advised delay`. */
  bandsTitle?: string;
  /** A legend with each series' total under the chart (charts of more than one series). */
  legend?: boolean;
  /**
   * Series drawn against a second value axis on the right (vertical bars only), when
   * series differ in size: hundreds of closes in one second beside tens of reconnects.
   */
  rightAxisKeys?: readonly string[];
}

const RIGHT_AXIS = 'right';

/** Bands whose bins are both on the chart; recharts cannot place the others. */
function bandsOnChart(bands: readonly CategoryBand[], rows: ReadonlyArray<ChartRow<string>>): CategoryBand[] {
  const xs = new Set(rows.map((r) => r.x));
  return bands.filter((b) => xs.has(b.from) && xs.has(b.to));
}

export function BarChart({
  id,
  caption,
  rows,
  series,
  unit,
  orientation = 'vertical',
  stacked = false,
  rowColors,
  xLabel = 'Category',
  onBarClick,
  height = 260,
  labelWidth = 180,
  gapless = false,
  slantLabels = false,
  sparseLabels = false,
  bands = [],
  bandsTitle = 'Marked',
  legend = false,
  rightAxisKeys = [],
}: BarChartProps) {
  const data = flattenRows(rows, series);
  const horizontal = orientation === 'horizontal';
  const shown = horizontal ? [] : bandsOnChart(bands, rows);
  const onRight = (s: ChartSeries) => !horizontal && rightAxisKeys.includes(s.key);
  const rightSeries = series.filter(onRight);
  const legendSeries = series.map((s) => (onRight(s) ? { ...s, label: `${s.label} (right axis)` } : s));
  const categoryAxisProps = {
    dataKey: 'x',
    type: 'category' as const,
    stroke: 'var(--muted)',
    fontSize: 12,
    ...(sparseLabels ? { interval: 'preserveStartEnd' as const, minTickGap: 16 } : { interval: 0 }),
  };
  const valueAxisProps = { type: 'number' as const, allowDecimals: false, stroke: 'var(--muted)', fontSize: 12 };
  return (
    <figure className="chart" data-testid={id}>
      <ChartCanvas height={height}>
        {(width) => (
          <RechartsBarChart
            width={width}
            height={height}
            data={data}
            layout={horizontal ? 'vertical' : 'horizontal'}
            margin={{ top: 8, right: 12, bottom: slantLabels ? 40 : 0, left: 0 }}
            barCategoryGap={gapless ? 1 : '20%'}
          >
            <CartesianGrid stroke="var(--grid)" horizontal={!horizontal} vertical={horizontal} />
            {horizontal ? (
              <>
                <XAxis {...valueAxisProps} />
                <YAxis {...categoryAxisProps} width={labelWidth} />
              </>
            ) : (
              <>
                <XAxis
                  {...categoryAxisProps}
                  angle={slantLabels ? -35 : 0}
                  textAnchor={slantLabels ? 'end' : 'middle'}
                  height={slantLabels ? 60 : 30}
                />
                <YAxis {...valueAxisProps} width={48} />
                {rightSeries.length > 0 && (
                  <YAxis
                    {...valueAxisProps}
                    yAxisId={RIGHT_AXIS}
                    orientation="right"
                    width={48}
                    stroke={rightSeries.length === 1 ? rightSeries[0]?.color : 'var(--muted)'}
                  />
                )}
              </>
            )}
            {shown.map(bandArea)}
            <Tooltip
              cursor={{ fill: 'var(--hover)' }}
              content={(props) => (
                <ChartTooltipContent
                  active={props.active}
                  label={props.label}
                  payload={props.payload}
                  unit={unit}
                  formatLabel={(label) => String(label ?? '')}
                />
              )}
            />
            {series.map((s, i) => (
              <Bar
                key={s.key}
                dataKey={`s${i}`}
                name={s.label}
                fill={s.color}
                {...(onRight(s) ? { yAxisId: RIGHT_AXIS } : {})}
                {...(stacked ? { stackId: 'stack' } : {})}
                isAnimationActive={false}
                onClick={onBarClick ? (entry: { payload?: { x?: unknown } }) => {
                  const x = entry.payload?.x;
                  if (typeof x === 'string') onBarClick(x);
                } : undefined}
                style={onBarClick ? { cursor: 'pointer' } : undefined}
              >
                {rowColors?.map((color, row) => <Cell key={row} fill={color} />)}
              </Bar>
            ))}
          </RechartsBarChart>
        )}
      </ChartCanvas>
      {legend && <ChartLegend series={legendSeries} totals={seriesTotals(rows, series)} unit={unit} />}
      <ChartBandList id={id} title={bandsTitle} bands={shown} />
      <ChartDataTable id={id} caption={caption} xLabel={xLabel} rows={rows} series={series} formatX={String} />
    </figure>
  );
}

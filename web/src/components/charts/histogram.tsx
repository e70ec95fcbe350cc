import { BarChart } from './bar-chart';
import type { CategoryBand, ChartRow, ChartSeries } from './types';

export interface HistogramProps {
  id: string;
  caption: string;
  /** One row per bin, in bin order; x is the bin label (`55 s - 60 s`). */
  bins: ReadonlyArray<ChartRow<string>>;
  series: readonly ChartSeries[];
  unit: string;
  /** Stack the series in each bin (false draws them side by side). */
  stacked?: boolean;
  height?: number;
  /** One color per bin instead of per series (a single series colored by what each bin means). */
  rowColors?: readonly string[];
  /** Runs of bins to shade, listed under the chart: the advised 5-30 s of a reconnect delay. */
  bands?: readonly CategoryBand[];
  bandsTitle?: string;
}

/** Counts per bin: touching bars, slanted bin labels, stacked series by default. */
export function Histogram({ id, caption, bins, series, unit, stacked = true, height = 300, rowColors, bands, bandsTitle }: HistogramProps) {
  return (
    <BarChart
      id={id}
      caption={caption}
      rows={bins}
      series={series}
      unit={unit}
      stacked={stacked}
      xLabel="Bin"
      gapless
      slantLabels
      height={height}
      rowColors={rowColors}
      bands={bands}
      bandsTitle={bandsTitle}
    />
  );
}

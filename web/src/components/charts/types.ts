/** One series of a chart: `key` identifies it, `label` is what humans read. */
export interface ChartSeries {
  key: string;
  label: string;
  /** Any CSS color, usually a theme variable such as `var(--cat-abnormal)`. */
  color: string;
}

/** One x position and the value of every series there. */
export interface ChartRow<X extends string | number = string | number> {
  x: X;
  values: Record<string, number>;
}

/** Series keys may contain dots (service names); recharts reads dotted keys as paths. */
export function flattenRows<X extends string | number>(
  rows: ReadonlyArray<ChartRow<X>>,
  series: readonly ChartSeries[],
): Array<Record<string, X | number>> {
  return rows.map((row) => {
    const flat: Record<string, X | number> = { x: row.x };
    series.forEach((s, i) => {
      flat[`s${i}`] = row.values[s.key] ?? 0;
    });
    return flat;
  });
}

export function seriesTotals(rows: ReadonlyArray<ChartRow>, series: readonly ChartSeries[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const s of series) totals[s.key] = 0;
  for (const row of rows) {
    for (const s of series) totals[s.key] = (totals[s.key] ?? 0) + (row.values[s.key] ?? 0);
  }
  return totals;
}

/** A band's color: `critical` red, `warning` amber, `info` blue, `good` green. */
export type BandTone = 'critical' | 'warning' | 'info' | 'good';

/** A marked stretch of a time chart (an alert episode): drawn as a shaded band from `from` to `to` (epoch ms). */
export interface TimeBand {
  key: string;
  from: number;
  to: number;
  /** What it marks, for the band's title and the list under the chart. */
  label: string;
  tone: BandTone;
}

/** Bands cut to the chart's x range; bands wholly outside it are dropped (recharts would widen the axis). */
export function clipBands(bands: readonly TimeBand[], min: number, max: number): TimeBand[] {
  return bands
    .filter((b) => b.to >= min && b.from <= max)
    .map((b) => ({ ...b, from: Math.max(b.from, min), to: Math.min(b.to, max) }));
}

/**
 * A marked run of categories on a bar chart or histogram (the advised 5-30 s delay, a
 * peak second): shaded from the start of bin `from` to the end of bin `to`, both x
 * labels of the chart's rows, and listed under the chart with its label.
 */
export interface CategoryBand {
  key: string;
  from: string;
  to: string;
  label: string;
  tone: BandTone;
}

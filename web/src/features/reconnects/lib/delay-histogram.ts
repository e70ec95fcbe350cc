import type { Reconnects } from '@closewatch/server/api-types';

import type { CategoryBand, ChartRow, ChartSeries } from '@/components/charts/types';
import { formatDuration, formatShare } from '@/lib/format';

import { describeDelayWindow } from './reconnect-figures';

type DelayBin = Reconnects['delayHistogram'][number];
type Window = Reconnects['advisedDelayMs'];

/** Where a delay bin sits against the advised window: before it, inside it, after it. */
export type DelayZone = 'too-fast' | 'advised' | 'late';

/** A bin that reaches into the window counts as inside: the shading then covers every bin that holds advised delays. */
export function delayZone(bin: Pick<DelayBin, 'fromMs' | 'toMs'>, advised: Window): DelayZone {
  if (bin.toMs !== null && bin.toMs <= advised.from) return 'too-fast';
  if (bin.fromMs >= advised.to) return 'late';
  return 'advised';
}

const ZONE_COLORS: Readonly<Record<DelayZone, string>> = {
  'too-fast': 'var(--cat-abnormal)',
  advised: 'var(--cat-normal)',
  late: 'var(--cat-going-away)',
};

export const RECONNECTS_SERIES: ChartSeries = { key: 'reconnects', label: 'Reconnects', color: 'var(--cat-normal)' };

export interface DelayHistogramModel {
  bins: Array<ChartRow<string>>;
  series: ChartSeries[];
  /** Each bin colored by its zone: too fast red, advised green, late blue. */
  rowColors: string[];
  zones: DelayZone[];
  /** The advised window over the bins it covers; none when no bin reaches into it. */
  band: CategoryBand | null;
}

/**
 * The delay histogram as the chart draws it: the collector's bins in order, colored by
 * zone, with the advised window shaded and labelled with the compliant share.
 */
export function delayHistogramModel(r: Reconnects): DelayHistogramModel {
  const bins = [...r.delayHistogram].sort((a, b) => a.fromMs - b.fromMs);
  const zones = bins.map((bin) => delayZone(bin, r.advisedDelayMs));
  const inside = bins.filter((_, i) => zones[i] === 'advised');
  const first = inside[0];
  const last = inside[inside.length - 1];
  const share = r.compliantShare === null ? 'no reconnects yet' : `${formatShare(r.compliantShare)} of the reconnects`;
  return {
    bins: bins.map((bin) => ({ x: bin.label, values: { [RECONNECTS_SERIES.key]: bin.count } })),
    series: [RECONNECTS_SERIES],
    rowColors: zones.map((zone) => ZONE_COLORS[zone]),
    zones,
    band:
      first && last
        ? {
            key: 'advised',
            from: first.label,
            to: last.label,
            label: `Advised delay ${describeDelayWindow(r.advisedDelayMs)}: ${share}`,
            tone: 'good',
          }
        : null,
  };
}

/** The zones as legend entries with their totals: what the bin colors mean, in numbers. */
export function zoneLegend(r: Reconnects, model: DelayHistogramModel): { series: ChartSeries[]; totals: Record<DelayZone, number> } {
  const totals: Record<DelayZone, number> = { 'too-fast': 0, advised: 0, late: 0 };
  model.zones.forEach((zone, i) => {
    totals[zone] += model.bins[i]?.values[RECONNECTS_SERIES.key] ?? 0;
  });
  const { from, to } = r.advisedDelayMs;
  const series: ChartSeries[] = [
    { key: 'too-fast', label: `Too fast (under ${formatDuration(from)})`, color: ZONE_COLORS['too-fast'] },
    { key: 'advised', label: `Advised (${describeDelayWindow(r.advisedDelayMs)})`, color: ZONE_COLORS.advised },
    { key: 'late', label: `Later (${formatDuration(to)} or more)`, color: ZONE_COLORS.late },
  ];
  return { series, totals };
}

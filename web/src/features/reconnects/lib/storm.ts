import type { Reconnects } from '@closewatch/server/api-types';

import type { CategoryBand, ChartRow, ChartSeries } from '@/components/charts/types';
import { formatClock, formatCount, formatCountOf, formatRate } from '@/lib/format';

export type Storm = NonNullable<Reconnects['storm']>;

/** Peak over normal rate from which the reconnects are a storm, and a surge. */
export const STORM_SCORE = { storm: 10, surge: 3 } as const;

/** A second of the storm chart by its distance from the mass close: `−2 s`, `0 s`, `+12 s`. */
export function stormOffsetLabel(t: number, at: number): string {
  const seconds = Math.round((t - at) / 1000);
  if (seconds === 0) return '0 s';
  return seconds > 0 ? `+${seconds} s` : `\u2212${-seconds} s`;
}

export const STORM_SERIES: readonly ChartSeries[] = [
  { key: 'closes', label: 'Closes (1001, 1012, 1013)', color: 'var(--cat-overload)' },
  { key: 'reconnects', label: 'Reconnects', color: 'var(--cat-going-away)' },
];

/** `12x`, `2.5x`: whole numbers once the ratio is large, a decimal below 10. */
export function formatScore(score: number): string {
  return `${score >= 10 ? formatCount(score) : formatRate(Math.round(score * 10) / 10)}x`;
}

export interface StormVerdict {
  level: 'storm' | 'surge' | 'calm' | 'no-baseline';
  headline: string;
  /** The plain-words figure: `peak 40 reconnects/s, 12x the normal 3.33/s`. */
  text: string;
  tone: 'bad' | 'neutral' | 'good';
}

/** What the storm numbers mean, in words an operator repeats in the incident channel. */
export function stormVerdict(storm: Storm): StormVerdict {
  const peak = `peak ${formatCount(storm.peakPerSecond)} reconnects/s`;
  const when = storm.peakAt === null ? '' : ` at ${stormOffsetLabel(storm.peakAt, storm.at)}`;
  if (storm.peakPerSecond === 0 || storm.peakAt === null) {
    return { level: 'calm', headline: 'No storm', text: 'no client reconnected in the seconds after the mass close', tone: 'good' };
  }
  if (storm.score === null || storm.baselinePerSecond === 0) {
    return {
      level: 'no-baseline',
      headline: 'Reconnect peak',
      text: `${peak}${when}; no connections opened outside the storm, so there is no normal rate to compare with`,
      tone: 'neutral',
    };
  }
  const text = `${peak}${when}, ${formatScore(storm.score)} the normal ${formatRate(storm.baselinePerSecond)}/s`;
  if (storm.score >= STORM_SCORE.storm) return { level: 'storm', headline: 'Reconnect storm', text, tone: 'bad' };
  if (storm.score >= STORM_SCORE.surge) return { level: 'surge', headline: 'Reconnect surge', text, tone: 'neutral' };
  return { level: 'calm', headline: 'No storm', text, tone: 'good' };
}

export interface StormChartModel {
  rows: Array<ChartRow<string>>;
  series: ChartSeries[];
  /** The peak second, shaded. */
  band: CategoryBand | null;
}

/** Per-second closes and reconnects, x labelled by the distance from the mass close. */
export function stormChartModel(storm: Storm): StormChartModel {
  const rows = [...storm.series]
    .sort((a, b) => a.t - b.t)
    .map((s) => ({ x: stormOffsetLabel(s.t, storm.at), values: { closes: s.closes, reconnects: s.reconnects } }));
  const peak = storm.peakAt === null || storm.peakPerSecond === 0 ? null : stormOffsetLabel(storm.peakAt, storm.at);
  return {
    rows,
    series: [...STORM_SERIES],
    band:
      peak === null
        ? null
        : {
            key: 'peak',
            from: peak,
            to: peak,
            label: `Peak: ${formatCountOf(storm.peakPerSecond, 'reconnects')} in the second at ${peak} (${formatClock(storm.peakAt as number, true)})`,
            tone: 'critical',
          },
  };
}

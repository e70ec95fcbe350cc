import { formatCloseCode } from '@closewatch/sdk/close-codes';
import type { Summary } from '@closewatch/server/api-types';

import { describePreviousRange, type TimeRange } from '@/features/filters/lib/view-state';
import { formatCount, formatPointsDelta, formatRate, formatRelativeDelta, formatShare, formatCountOf } from '@/lib/format';

export type TileId = 'closures-per-minute' | 'abnormal-share' | 'error-rate' | 'again-rate';

export interface TileChange {
  text: string;
  direction: 'up' | 'down' | 'flat';
  /** Whether the change is bad news (more errors), good news, or neither. */
  tone: 'bad' | 'good' | 'neutral';
}

export interface TileModel {
  id: TileId;
  title: string;
  /** The code the tile is about, for its label and tooltip. */
  code: number | null | undefined;
  value: string;
  /** Exact machine value of `value`, for tests and tooling. */
  raw: number;
  unit: string;
  detail: string;
  change: TileChange;
}

function relativeChange(current: number, previous: number, previousLabel: string, higherIsBad: boolean): TileChange {
  if (current === 0 && previous === 0) return { text: `no change vs ${previousLabel}`, direction: 'flat', tone: 'neutral' };
  if (previous === 0) {
    return { text: `up from 0 in the ${previousLabel}`, direction: 'up', tone: higherIsBad ? 'bad' : 'neutral' };
  }
  const ratio = (current - previous) / previous;
  if (Math.abs(ratio) < 0.005) return { text: `\u00b10% vs ${previousLabel}`, direction: 'flat', tone: 'neutral' };
  const direction = ratio > 0 ? 'up' : 'down';
  const tone = !higherIsBad ? 'neutral' : direction === 'up' ? 'bad' : 'good';
  return { text: `${formatRelativeDelta(ratio)} vs ${previousLabel}`, direction, tone };
}

function shareChange(current: number, previous: number, previousLabel: string): TileChange {
  const delta = current - previous;
  if (Math.abs(delta) < 0.00005) return { text: `\u00b10 pp vs ${previousLabel}`, direction: 'flat', tone: 'neutral' };
  const direction = delta > 0 ? 'up' : 'down';
  return { text: `${formatPointsDelta(delta)} vs ${previousLabel}`, direction, tone: direction === 'up' ? 'bad' : 'good' };
}

/** The four headline tiles, each with its unit and the change against the previous period. */
export function buildTiles(summary: Summary, range: TimeRange): TileModel[] {
  const prevLabel = describePreviousRange(range);
  const { previous } = summary;
  return [
    {
      id: 'closures-per-minute',
      title: 'Closures',
      code: undefined,
      value: formatRate(summary.perMinute),
      raw: summary.perMinute,
      unit: 'closures/min',
      detail: `${formatCountOf(summary.total, 'closures')} in total`,
      change: relativeChange(summary.perMinute, previous.perMinute, prevLabel, false),
    },
    {
      id: 'abnormal-share',
      title: 'Abnormal share',
      code: undefined,
      value: formatShare(summary.abnormal.share),
      raw: summary.abnormal.share,
      unit: 'of closures',
      detail: `${formatCount(summary.abnormal.count)} abnormal (1006 and server errors)`,
      change: shareChange(summary.abnormal.share, previous.abnormal.share, prevLabel),
    },
    {
      id: 'error-rate',
      title: formatCloseCode(1011),
      code: 1011,
      value: formatRate(summary.error.perMinute),
      raw: summary.error.perMinute,
      unit: 'closures/min',
      detail: `${formatShare(summary.error.share)} of closures, ${formatCount(summary.error.count)} in total`,
      change: relativeChange(summary.error.perMinute, previous.error.perMinute, prevLabel, true),
    },
    {
      id: 'again-rate',
      title: formatCloseCode(1013),
      code: 1013,
      value: formatRate(summary.again.perMinute),
      raw: summary.again.perMinute,
      unit: 'closures/min',
      detail: `${formatShare(summary.again.share)} of closures, ${formatCount(summary.again.count)} in total`,
      change: relativeChange(summary.again.perMinute, previous.again.perMinute, prevLabel, true),
    },
  ];
}

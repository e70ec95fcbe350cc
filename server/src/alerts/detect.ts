import type { Condition } from './rule.js';

/** One-minute buckets of one alert group: the newest complete minute last. */
export interface GroupSeries {
  /** Watched closes per minute: the 60 baseline minutes, then the evaluated minute (61 values). */
  selected: readonly number[];
  /** All closes of the same context (service, route, label) per minute, aligned with `selected`. */
  total: readonly number[];
  /** The same hour of the previous day (60 minutes around now - 24 h), when the database goes back that far. */
  yesterday: { selected: readonly number[]; total: readonly number[] } | null;
  /** Reconnect-storm rules: the most reconnects opened in one second, per minute, aligned with `selected`. */
  reconnectPeaks?: readonly number[];
}

/** How many baseline minutes precede the evaluated one. */
export const BASELINE_MINUTES = 60;

/** Scale floor of the count z-score: a baseline of zeros must not make one close infinitely surprising. */
const COUNT_EPSILON = 1;
/** Scale floor of the share z-score (half a percent). */
const SHARE_EPSILON = 0.005;
/** MAD to standard deviation for normal data. */
const MAD_SCALE = 1.4826;

export interface Evaluation {
  /** Whether the condition holds at this minute. */
  holds: boolean;
  /** What was compared: closes (count, anomaly), closes per minute (rate) or a share (ratio). */
  value: number;
  /** The typical value it was compared against: the median (anomaly) or the threshold. */
  baseline: number;
  /** The whole computation, stored with an episode and shown in notifications. */
  detail: Record<string, number | null>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median absolute deviation around `center`. */
export function mad(values: readonly number[], center: number): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** z = (x - median) / (1.4826 * MAD + epsilon) over `history`. */
export function robustZ(x: number, history: readonly number[], epsilon: number): { median: number; mad: number; z: number } {
  const m = median(history);
  const d = mad(history, m);
  return { median: m, mad: d, z: (x - m) / (MAD_SCALE * d + epsilon) };
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const shares = (selected: readonly number[], total: readonly number[]): number[] => selected.map((s, i) => ((total[i] ?? 0) > 0 ? s / (total[i] as number) : 0));

/**
 * Evaluates a condition on one group's series at its newest minute.
 *
 * The anomaly condition asks two questions, both robust (median and MAD) and both over
 * the last 60 one-minute buckets: is the count unusual, and is its share of all closes
 * unusual? Twice the traffic at the same share is not a spike. When yesterday's same
 * hour is known, the count must be unusual against it too (a daily peak is not an
 * anomaly). minCount and minRatio keep a near-zero baseline from firing on noise.
 */
export function evaluate(condition: Condition, series: GroupSeries): Evaluation {
  const n = series.selected.length;
  const x = series.selected[n - 1] ?? 0;
  const xTotal = series.total[n - 1] ?? 0;
  switch (condition.type) {
    case 'threshold': {
      const count = sum(series.selected.slice(n - condition.windowMinutes));
      const value = condition.measure === 'rate' ? count / condition.windowMinutes : count;
      return { holds: value > condition.above, value, baseline: condition.above, detail: { count, windowMinutes: condition.windowMinutes } };
    }
    case 'ratio': {
      const count = sum(series.selected.slice(n - condition.windowMinutes));
      const total = sum(series.total.slice(n - condition.windowMinutes));
      const share = total > 0 ? count / total : 0;
      return {
        holds: count >= condition.minCount && share > condition.above,
        value: share,
        baseline: condition.above,
        detail: { count, total, windowMinutes: condition.windowMinutes },
      };
    }
    case 'anomaly': {
      const history = series.selected.slice(0, n - 1);
      const counts = robustZ(x, history, COUNT_EPSILON);
      const share = xTotal > 0 ? x / xTotal : 0;
      const shareZ = robustZ(share, shares(history, series.total.slice(0, n - 1)), SHARE_EPSILON);
      let daily: { median: number; z: number } | null = null;
      if (series.yesterday !== null) {
        const y = robustZ(x, series.yesterday.selected, COUNT_EPSILON);
        daily = { median: y.median, z: y.z };
      }
      const holds =
        x >= condition.minCount &&
        share >= condition.minRatio &&
        counts.z >= condition.zScore &&
        shareZ.z >= condition.zScore &&
        (daily === null || daily.z >= condition.zScore);
      return {
        holds,
        value: x,
        baseline: counts.median,
        detail: {
          count: x,
          total: xTotal,
          share,
          median: counts.median,
          mad: counts.mad,
          z: counts.z,
          shareMedian: shareZ.median,
          shareZ: shareZ.z,
          dailyMedian: daily?.median ?? null,
          dailyZ: daily?.z ?? null,
        },
      };
    }
    case 'reconnect-storm': {
      // The normal connection rate: the baseline hour's median closes per minute, per
      // second (in a steady state as many connections open as close).
      const normalPerSecond = median(series.total.slice(0, n - 1)) / 60;
      const peaks = (series.reconnectPeaks ?? []).slice(n - condition.windowMinutes);
      const peak = peaks.length === 0 ? 0 : Math.max(...peaks);
      const ratio = normalPerSecond > 0 ? peak / normalPerSecond : null;
      return {
        holds: peak >= condition.minPerSecond && peak > condition.above * normalPerSecond,
        value: peak,
        baseline: normalPerSecond,
        detail: { peakPerSecond: peak, normalPerSecond, ratio, windowMinutes: condition.windowMinutes },
      };
    }
  }
}

import { HOUR_MS, MINUTE_MS, type TimeWindow } from './types.js';

export { HOUR_MS, MINUTE_MS, type TimeWindow };

export const DAY_MS = 24 * HOUR_MS;

/** Longest range a read may ask for; longer ranges would make the raw-event path unbounded. */
export const MAX_RANGE_MS = 31 * DAY_MS;

/** Range when `from` is not given. */
export const DEFAULT_RANGE_MS = HOUR_MS;

export const floorTo = (t: number, step: number): number => Math.floor(t / step) * step;
export const ceilTo = (t: number, step: number): number => Math.ceil(t / step) * step;

/**
 * Widens a requested range to whole minutes (from down, to up): minute rollups are the
 * finest stored resolution, and widening keeps every close the caller asked for while
 * letting rollups and raw events answer with the same numbers.
 */
export function alignWindow(from: number, to: number): TimeWindow {
  return { from: floorTo(from, MINUTE_MS), to: ceilTo(to, MINUTE_MS) };
}

/** The period of equal length just before `window`. */
export function previousWindow(window: TimeWindow): TimeWindow {
  return { from: window.from - (window.to - window.from), to: window.from };
}

export function windowMinutes(window: TimeWindow): number {
  return (window.to - window.from) / MINUTE_MS;
}

/**
 * How a minute-aligned window splits into whole hours (read from hour rollups) and the
 * minutes at its edges (read from minute rollups).
 */
export interface RollupSpans {
  hours: TimeWindow | null;
  minutes: TimeWindow[];
}

export function rollupSpans(window: TimeWindow): RollupSpans {
  const h0 = ceilTo(window.from, HOUR_MS);
  const h1 = floorTo(window.to, HOUR_MS);
  if (h0 >= h1) return { hours: null, minutes: [window] };
  const minutes: TimeWindow[] = [];
  if (window.from < h0) minutes.push({ from: window.from, to: h0 });
  if (h1 < window.to) minutes.push({ from: h1, to: window.to });
  return { hours: { from: h0, to: h1 }, minutes };
}

/** The rollup resolutions, finest first. */
export type RollupLevel = 'minute' | 'hour' | 'day';

/** A span of a window and the rollup resolution that reads it. */
export interface RollupLeg {
  level: RollupLevel;
  span: TimeWindow;
  /** Rows to take away: the part of a day read whole that lies outside the window. */
  subtract?: true;
}

/** A window to read, with the rollup watermark read for it (rollup-watermark.ts; none: every level is complete). */
export interface ReadWindow extends TimeWindow {
  rolledTo?: number;
}

/**
 * How a minute-aligned window splits into the coarsest rollup rows that fit, up to
 * `coarsest`: whole (epoch-aligned) days from day rollups, the whole hours at their
 * edges from hour rollups, the minutes at the edges of those from minute rollups. A
 * week then reads about six days' rows and a day's worth of hours instead of 168 hours.
 *
 * With `subtractEdges` (for sums only), an edge longer than half a day is read as its
 * whole day minus the hours and minutes of that day outside the window (`subtract`
 * legs): a 7-day window that starts at 03:00 reads 3 hours of hour rows there, not 21.
 * Groups outside the window then sum to zero and the caller must drop them.
 *
 * Time from `rolledTo` (the rollup watermark, hour-aligned) on is read from minute rows:
 * its hours are not rolled up yet. A day is read whole only when it ends by then.
 */
export function rollupLegs(window: TimeWindow, coarsest: RollupLevel, subtractEdges = false, rolledTo = Infinity): RollupLeg[] {
  if (coarsest === 'minute') return [{ level: 'minute', span: window }];
  const split = Math.min(window.to, Math.max(window.from, rolledTo));
  const pending: RollupLeg[] = split < window.to ? [{ level: 'minute', span: { from: split, to: window.to } }] : [];
  if (split === window.from) return pending;
  const rolled: TimeWindow = { from: window.from, to: split };
  const hourLegs = (w: TimeWindow): RollupLeg[] => {
    const spans = rollupSpans(w);
    return [
      ...(spans.hours === null ? [] : [{ level: 'hour' as const, span: spans.hours }]),
      ...spans.minutes.map((span) => ({ level: 'minute' as const, span })),
    ];
  };
  const d0 = ceilTo(rolled.from, DAY_MS);
  const d1 = floorTo(rolled.to, DAY_MS);
  if (coarsest === 'hour' || d0 > d1 || (d0 === d1 && !subtractEdges)) return [...hourLegs(rolled), ...pending];
  /** The edge `inside` of `day`: its hours, or the whole day less the hours `outside` it (a day rolled up whole only). */
  const edge = (inside: TimeWindow, day: TimeWindow, outside: TimeWindow): RollupLeg[] =>
    subtractEdges && inside.to - inside.from > DAY_MS / 2 && day.to <= rolledTo
      ? [{ level: 'day', span: day }, ...hourLegs(outside).map((leg) => ({ ...leg, subtract: true as const }))]
      : hourLegs(inside);
  return [
    ...(d0 < d1 ? [{ level: 'day' as const, span: { from: d0, to: d1 } }] : []),
    ...(rolled.from < d0 ? edge({ from: rolled.from, to: d0 }, { from: d0 - DAY_MS, to: d0 }, { from: d0 - DAY_MS, to: rolled.from }) : []),
    ...(d1 < rolled.to ? edge({ from: d1, to: rolled.to }, { from: d1, to: d1 + DAY_MS }, { from: rolled.to, to: d1 + DAY_MS }) : []),
    ...pending,
  ];
}

/** Default timeseries bucket for a requested range length (the requested one, not the widened one). */
export function defaultBucketMs(rangeMs: number): number {
  if (rangeMs <= HOUR_MS) return MINUTE_MS;
  if (rangeMs <= 6 * HOUR_MS) return 5 * MINUTE_MS;
  if (rangeMs <= DAY_MS) return 15 * MINUTE_MS;
  if (rangeMs <= 7 * DAY_MS) return HOUR_MS;
  return 6 * HOUR_MS;
}

/** Start of every bucket (epoch-aligned to `bucketMs`) that overlaps the window. */
export function bucketStarts(window: TimeWindow, bucketMs: number): number[] {
  const starts: number[] = [];
  for (let t = floorTo(window.from, bucketMs); t < window.to; t += bucketMs) starts.push(t);
  return starts;
}

import { ADVISED_RECONNECT_DELAY_MS, RECONNECT_ADVISING_CODES } from '@closewatch/sdk/close-codes';
import { COARSE_UNTIL_MS } from '../storage/reconnect-cells.js';
import type { ReconnectCell, ReconnectReader } from '../storage/sql/reconnect-reader.js';
import { RECONNECT_LOOKAHEAD_MS } from '../storage/types.js';
import type { StatsReader } from '../storage/sql/stats-reader.js';
import type { CloseFilters, TimeWindow } from '../storage/types.js';
import { codeFields } from './code-info.js';
import type { ParsedQuery } from './filters.js';
import type { Reconnects } from './schemas.js';

/**
 * Edges of the delay histogram (ms); the last bucket ends at the lookahead. The common
 * fixed delays (at once, 500 ms, 1 s, 2 s) sit inside a bucket, not on an edge, so a
 * client's few milliseconds of connecting never move it to the next; 5 s and 30 s are
 * the advised window's own edges.
 */
export const RECONNECT_DELAY_EDGES_MS = [0, 250, 750, 1_500, 3_000, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000, 60_000, 120_000, 300_000] as const;

/** The chart of a storm: from 10 s before the mass close to 60 s after it. */
export const STORM_BEFORE_MS = 10_000;
export const STORM_AFTER_MS = 60_000;
/** A second is a mass close with at least this many reconnect-advising closes... */
const MASS_CLOSE_MIN = 3;
/** ...and at least this share of the busiest second's (the latest such second is "the last rolling restart"). */
const MASS_CLOSE_SHARE = 0.5;
/** Populations listed as offenders, worst first. */
const MAX_OFFENDERS = 20;
/** A population needs this many reconnects before its delays can be called fixed. */
const FIXED_MIN_RECONNECTS = 5;

function durationLabel(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${ms / 1_000} s`;
  return `${ms / 60_000} min`;
}

const HISTOGRAM = RECONNECT_DELAY_EDGES_MS.map((fromMs, i) => {
  const toMs = RECONNECT_DELAY_EDGES_MS[i + 1] ?? RECONNECT_LOOKAHEAD_MS;
  return { fromMs, toMs, label: `${durationLabel(fromMs)} - ${durationLabel(toMs)}` };
});

/** Delay steps with their counts, the figures every group of the answer has. */
class DelayTally {
  closes = 0;
  notReturned = 0;
  private readonly steps = new Map<number, number>();

  add(delayMs: number | null, count: number): void {
    this.closes += count;
    if (delayMs === null) this.notReturned += count;
    else this.steps.set(delayMs, (this.steps.get(delayMs) ?? 0) + count);
  }

  get reconnected(): number {
    return this.closes - this.notReturned;
  }

  countWhere(ok: (delayMs: number) => boolean): number {
    let n = 0;
    for (const [delay, count] of this.steps) if (ok(delay)) n += count;
    return n;
  }

  get compliant(): number {
    return this.countWhere((d) => d >= ADVISED_RECONNECT_DELAY_MS.from && d < ADVISED_RECONNECT_DELAY_MS.to);
  }

  get tooFast(): number {
    return this.countWhere((d) => d < ADVISED_RECONNECT_DELAY_MS.from);
  }

  compliantShare(): number | null {
    return this.reconnected === 0 ? null : this.compliant / this.reconnected;
  }

  /** The step holding the q-quantile of the delays (its lower edge), null without reconnects. */
  quantile(q: number): number | null {
    const total = this.reconnected;
    if (total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * total));
    let seen = 0;
    for (const delay of [...this.steps.keys()].sort((a, b) => a - b)) {
      seen += this.steps.get(delay) ?? 0;
      if (seen >= rank) return delay;
    }
    return null;
  }

  histogram(): Reconnects['delayHistogram'] {
    return HISTOGRAM.map((b) => ({ ...b, count: this.countWhere((d) => d >= b.fromMs && d < b.toMs) }));
  }
}

function offender(kind: 'agent' | 'keyPrefix', value: string, t: DelayTally): Reconnects['offenders'][number] {
  const p10 = t.quantile(0.1);
  const p90 = t.quantile(0.9);
  const spreadMs = p10 === null || p90 === null ? null : p90 - p10;
  // One step is all a fixed delay spreads over: 100 ms below 5 s (two steps: a delay on an edge), 1 s to a
  // minute. Past a minute the steps are too wide to tell a fixed delay from a spread one.
  const fixedDelay =
    t.reconnected >= FIXED_MIN_RECONNECTS && spreadMs !== null && p90 !== null && p90 < COARSE_UNTIL_MS && spreadMs <= (p90 < ADVISED_RECONNECT_DELAY_MS.from ? 200 : 1_000);
  return {
    kind,
    value,
    reconnected: t.reconnected,
    tooFast: t.tooFast,
    tooFastShare: t.reconnected === 0 ? 0 : t.tooFast / t.reconnected,
    medianDelayMs: t.quantile(0.5),
    spreadMs,
    fixedDelay,
  };
}

function tallyBy<K>(cells: readonly ReconnectCell[], key: (c: ReconnectCell) => K | null): Map<K, DelayTally> {
  const tallies = new Map<K, DelayTally>();
  for (const cell of cells) {
    const k = key(cell);
    if (k === null) continue;
    const t = tallies.get(k) ?? new DelayTally();
    t.add(cell.delayMs, cell.count);
    tallies.set(k, t);
  }
  return tallies;
}

/** Populations that reconnect too fast or always after the same delay, worst first. */
function offenders(cells: readonly ReconnectCell[]): Reconnects['offenders'] {
  const rows = [
    ...[...tallyBy(cells, (c) => c.agent ?? '(unknown)')].map(([value, t]) => offender('agent', value, t)),
    ...[...tallyBy(cells, (c) => c.keyPrefix)].map(([value, t]) => offender('keyPrefix', value, t)),
  ];
  return rows
    .filter((r) => r.tooFast > 0 || r.fixedDelay)
    .sort((a, b) => b.tooFast - a.tooFast || b.reconnected - a.reconnected || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, MAX_OFFENDERS);
}

/** The normal connection rate is read without the code filters: it is every connection's. */
function connectionFilters(filters: CloseFilters): CloseFilters {
  const { codes: _codes, category: _category, initiator: _initiator, ...rest } = filters;
  return rest;
}

async function storm(reader: ReconnectReader, stats: StatsReader, window: TimeWindow, filters: CloseFilters): Promise<Reconnects['storm']> {
  const busiest = await reader.busiestSeconds(window, filters, 50);
  const peak = busiest[0]?.closes ?? 0;
  const mass = busiest.filter((s) => s.closes >= MASS_CLOSE_MIN && s.closes >= peak * MASS_CLOSE_SHARE).sort((a, b) => b.t - a.t)[0];
  if (mass === undefined) return null;
  const span = { from: mass.t - STORM_BEFORE_MS, to: mass.t + STORM_AFTER_MS };
  const [series, all] = await Promise.all([reader.stormSeconds(span, span.from, filters), stats.codeCounts(window, connectionFilters(filters))]);
  const connections = all.rows.reduce((sum, r) => sum + r.count, 0);
  const baselinePerSecond = connections / ((window.to - window.from) / 1_000);
  let top = series[0];
  for (const s of series) if (top === undefined || s.reconnects > top.reconnects) top = s;
  const peakPerSecond = top?.reconnects ?? 0;
  return {
    at: mass.t,
    closes: mass.closes,
    baselinePerSecond,
    peakPerSecond,
    peakAt: peakPerSecond > 0 && top !== undefined ? top.t : null,
    score: baselinePerSecond > 0 ? peakPerSecond / baselinePerSecond : null,
    series,
  };
}

/** `GET /stats/reconnects`: how long clients waited after a reconnect-advising close, and who stormed. */
export async function queryReconnects(reader: ReconnectReader, stats: StatsReader, query: ParsedQuery): Promise<Reconnects> {
  // Two reads of the pool at once: the storm does not wait for the delays.
  const [cells, stormed] = await Promise.all([reader.delays(query.window, query.filters), storm(reader, stats, query.window, query.filters)]);
  const all = new DelayTally();
  for (const c of cells) all.add(c.delayMs, c.count);
  const perCode = tallyBy(cells, (c) => c.code);
  return {
    window: query.window,
    lookaheadMs: RECONNECT_LOOKAHEAD_MS,
    advisedDelayMs: { ...ADVISED_RECONNECT_DELAY_MS },
    closes: all.closes,
    reconnected: all.reconnected,
    notReturned: all.notReturned,
    compliantShare: all.compliantShare(),
    tooFast: all.tooFast,
    medianDelayMs: all.quantile(0.5),
    p90DelayMs: all.quantile(0.9),
    byCode: RECONNECT_ADVISING_CODES.filter((code) => perCode.has(code)).map((code) => {
      const t = perCode.get(code) as DelayTally;
      return { ...codeFields(code), closes: t.closes, reconnected: t.reconnected, notReturned: t.notReturned, compliantShare: t.compliantShare() };
    }),
    delayHistogram: all.histogram(),
    storm: stormed,
    offenders: offenders(cells),
  };
}

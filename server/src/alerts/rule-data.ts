import type { AlertReader, CodeMinute } from '../storage/sql/alert-reader.js';
import type { ReconnectReader } from '../storage/sql/reconnect-reader.js';
import { needsRawEvents } from '../storage/types.js';
import { MINUTE_MS, type TimeWindow } from '../storage/types.js';
import { describeCloseCode, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import { BASELINE_MINUTES, type GroupSeries } from './detect.js';
import { groupKey, groupOf, type AlertGroup } from './group.js';
import { contextFilters, selectedFilters, type RuleSpec, type Selector } from './rule.js';

const DAY_MS = 86_400_000;

/** One group's closes per minute (bucket start -> count): watched ones, and all in the context. */
export interface GroupMinutes {
  group: AlertGroup;
  selected: Map<number, number>;
  total: Map<number, number>;
  /** Reconnect-storm rules: minute start -> the most reconnects opened in one second of it. */
  reconnectPeaks?: Map<number, number>;
}

/** A rule's closes per group and minute over some window. */
export type RuleMinutes = Map<string, GroupMinutes>;

/** The windows an evaluation at `end` reads: the baseline hour and the minute, and the same hour a day earlier. */
export function evaluationWindows(end: number): { recent: TimeWindow; yesterday: TimeWindow } {
  return {
    recent: { from: end - (BASELINE_MINUTES + 1) * MINUTE_MS, to: end },
    yesterday: { from: end - DAY_MS - (BASELINE_MINUTES / 2) * MINUTE_MS, to: end - DAY_MS + (BASELINE_MINUTES / 2) * MINUTE_MS },
  };
}

/** Whether the shared per-code matrix can answer a rule: it selects by codes/category and service only. */
export function fitsCodeMatrix(rule: Pick<RuleSpec, 'selector' | 'groupBy'>): boolean {
  const { selector } = rule;
  return rule.groupBy !== 'route' && selector.route === undefined && selector.instance === undefined && selector.label === undefined;
}

function matchesCodes(selector: Selector, code: number | null, names: CustomCloseCodes | undefined): boolean {
  if (selector.codes !== undefined) return selector.codes.includes(code);
  if (selector.category !== undefined) return describeCloseCode(code, names).category === selector.category;
  return false;
}

function add(into: RuleMinutes, group: AlertGroup, bucket: number, selected: number, total: number): void {
  const key = groupKey(group);
  let g = into.get(key);
  if (g === undefined) {
    g = { group, selected: new Map(), total: new Map() };
    into.set(key, g);
  }
  if (selected > 0) g.selected.set(bucket, (g.selected.get(bucket) ?? 0) + selected);
  g.total.set(bucket, (g.total.get(bucket) ?? 0) + total);
}

/** A rule's minutes from the shared per-code matrix rows; a named code counts in the category the team gave it (`names`). */
export function fromCodeMatrix(rule: Pick<RuleSpec, 'selector' | 'groupBy'>, rows: readonly CodeMinute[], into: RuleMinutes = new Map(), names?: CustomCloseCodes): RuleMinutes {
  const { selector } = rule;
  // The registry answers per code; the matrix repeats few codes, so remember each answer.
  const matches = new Map<number | null, boolean>();
  for (const row of rows) {
    if (selector.service !== undefined && row.service !== selector.service) continue;
    let match = matches.get(row.code);
    if (match === undefined) {
      match = matchesCodes(selector, row.code, names);
      matches.set(row.code, match);
    }
    add(into, groupOf(rule.groupBy, row.service, ''), row.bucket, match ? row.count : 0, row.count);
  }
  return into;
}

/** A rule's minutes read for it alone (route, instance or label filters, or grouped by route). */
export async function readRuleMinutes(reader: AlertReader, rule: Pick<RuleSpec, 'selector' | 'groupBy'>, windows: readonly TimeWindow[], names?: CustomCloseCodes): Promise<RuleMinutes> {
  const into: RuleMinutes = new Map();
  for (const window of windows) {
    const rows = await reader.selectionMinutes(window, contextFilters(rule.selector), selectedFilters(rule.selector, names), rule.groupBy === 'route');
    for (const row of rows) add(into, groupOf(rule.groupBy, row.service, row.route), row.bucket, row.selected, row.total);
  }
  return into;
}

/**
 * Adds to a reconnect-storm rule's groups the peak of reconnects per second of each
 * minute of `window` (reconnects of the rule's codes and filters, matched across instances).
 */
export async function addReconnectPeaks(reader: ReconnectReader, rule: Pick<RuleSpec, 'selector' | 'groupBy'>, window: TimeWindow, into: RuleMinutes): Promise<void> {
  const perSecond = new Map<string, { group: AlertGroup; seconds: Map<number, number> }>();
  for (const row of await reader.reconnectsBySecond(window, selectedFilters(rule.selector))) {
    const group = groupOf(rule.groupBy, row.service, '');
    const key = groupKey(group);
    const g = perSecond.get(key) ?? { group, seconds: new Map<number, number>() };
    g.seconds.set(row.t, (g.seconds.get(row.t) ?? 0) + row.count);
    perSecond.set(key, g);
  }
  for (const g of into.values()) g.reconnectPeaks = new Map();
  for (const [key, { group, seconds }] of perSecond) {
    let target = into.get(key);
    if (target === undefined) {
      target = { group, selected: new Map(), total: new Map(), reconnectPeaks: new Map() };
      into.set(key, target);
    }
    const peaks = target.reconnectPeaks ?? new Map<number, number>();
    for (const [t, count] of seconds) {
      const minute = t - (t % MINUTE_MS);
      peaks.set(minute, Math.max(peaks.get(minute) ?? 0, count));
    }
    target.reconnectPeaks = peaks;
  }
}

/** Whether a rule's reads go to raw events (only when its filters need them). */
export function readsRawEvents(rule: Pick<RuleSpec, 'selector'>): boolean {
  return needsRawEvents(contextFilters(rule.selector));
}

/**
 * The series `evaluate` takes for one group at `end` (a minute boundary): the 60
 * baseline minutes and the minute before `end`, and yesterday's same hour when there
 * is a day of history (`historyFrom` is the oldest minute stored).
 */
export function seriesAt(g: GroupMinutes, end: number, historyFrom: number): GroupSeries {
  const minutes = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i * MINUTE_MS);
  const recent = minutes(end - (BASELINE_MINUTES + 1) * MINUTE_MS, BASELINE_MINUTES + 1);
  const { yesterday } = evaluationWindows(end);
  const hasDay = historyFrom > 0 && historyFrom <= yesterday.from;
  const day = minutes(yesterday.from, BASELINE_MINUTES);
  return {
    selected: recent.map((m) => g.selected.get(m) ?? 0),
    total: recent.map((m) => g.total.get(m) ?? 0),
    yesterday: hasDay ? { selected: day.map((m) => g.selected.get(m) ?? 0), total: day.map((m) => g.total.get(m) ?? 0) } : null,
    ...(g.reconnectPeaks === undefined ? {} : { reconnectPeaks: recent.map((m) => g.reconnectPeaks?.get(m) ?? 0) }),
  };
}

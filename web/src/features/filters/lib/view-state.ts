/**
 * The dashboard's view state (time range, filters, live) and its URL form. The URL is
 * the only place this state lives, so a copied link reproduces the view exactly.
 */
import { isCloseCategory, isCloseCodeInteger, type CloseCategory } from '@closewatch/sdk/close-codes';
import type { Initiator, TimeWindow } from '@closewatch/server/api-types';

import { formatClock, formatDate, formatDateTime, formatDuration } from '@/lib/format';

export const RANGE_PRESETS = ['15m', '1h', '6h', '24h', '7d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const PRESET_MS: Readonly<Record<RangePreset, number>> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};

export const PRESET_LABELS: Readonly<Record<RangePreset, string>> = {
  '15m': '15 min',
  '1h': '1 h',
  '6h': '6 h',
  '24h': '24 h',
  '7d': '7 d',
};

export const DEFAULT_PRESET: RangePreset = '1h';

export type TimeRange =
  | { kind: 'relative'; preset: RangePreset }
  | { kind: 'absolute'; from: number; to: number };

export const INITIATORS: readonly Initiator[] = ['server', 'client', 'unknown'];

/** A code filter entry: an integer code, or `null` for "no code received" (`none` in URLs). */
export type CodeFilter = number | null;

export interface LabelFilter {
  key: string;
  value: string;
}

export interface Filters {
  service: string | null;
  route: string | null;
  instance: string | null;
  codes: CodeFilter[];
  category: CloseCategory | null;
  initiator: Initiator | null;
  label: LabelFilter | null;
}

export interface ViewState {
  range: TimeRange;
  filters: Filters;
  live: boolean;
}

export const EMPTY_FILTERS: Filters = Object.freeze({
  service: null,
  route: null,
  instance: null,
  codes: [],
  category: null,
  initiator: null,
  label: null,
}) as Filters;

export const DEFAULT_VIEW: ViewState = Object.freeze({
  range: { kind: 'relative', preset: DEFAULT_PRESET },
  filters: EMPTY_FILTERS,
  live: true,
}) as ViewState;

function isPreset(value: string | null): value is RangePreset {
  return value !== null && (RANGE_PRESETS as readonly string[]).includes(value);
}

function isInitiator(value: string | null): value is Initiator {
  return value !== null && (INITIATORS as readonly string[]).includes(value);
}

/** Epoch milliseconds or an RFC 3339 date-time, as the API accepts; null when neither. */
export function parseTime(value: string | null): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d{1,16}$/.test(trimmed)) return Number(trimmed);
  // Date.parse also takes loose formats like "Nov 26"; only accept what the API accepts.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) ? ms : null;
}

/** `2026-11-26T10:00:00Z`: readable in a link, exact to the millisecond when needed. */
export function formatUrlTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Parses `1011, 1013 ,none`; tokens that are not codes are reported, not guessed. */
export function parseCodeList(text: string): { codes: CodeFilter[]; invalid: string[] } {
  const codes: CodeFilter[] = [];
  const invalid: string[] = [];
  for (const raw of text.split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    let code: CodeFilter | undefined;
    if (token.toLowerCase() === 'none') code = null;
    else if (/^\d+$/.test(token) && isCloseCodeInteger(Number(token))) code = Number(token);
    if (code === undefined) invalid.push(token);
    else if (!codes.includes(code)) codes.push(code);
  }
  return { codes, invalid };
}

export function formatCodeList(codes: readonly CodeFilter[]): string {
  return codes.map((c) => (c === null ? 'none' : String(c))).join(',');
}

/** `key:value`; the value may itself contain colons, the key may not be empty. */
export function parseLabel(text: string | null): LabelFilter | null {
  if (text === null) return null;
  const at = text.indexOf(':');
  if (at <= 0) return null;
  const key = text.slice(0, at).trim();
  const value = text.slice(at + 1).trim();
  return key === '' ? null : { key, value };
}

function nonEmpty(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * Reads the view from a query string. Every value that does not parse falls back to
 * its default on its own, so one bad parameter never blanks the whole view.
 */
export function parseViewState(search: string | URLSearchParams): ViewState {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;

  let range: TimeRange = { kind: 'relative', preset: DEFAULT_PRESET };
  const from = parseTime(params.get('from'));
  const to = parseTime(params.get('to'));
  if (from !== null && to !== null && from < to) range = { kind: 'absolute', from, to };
  else {
    const preset = params.get('range');
    if (isPreset(preset)) range = { kind: 'relative', preset };
  }

  const category = params.get('category');
  const initiator = params.get('initiator');
  const codeParam = params.get('code');
  const filters: Filters = {
    service: nonEmpty(params.get('service')),
    route: nonEmpty(params.get('route')),
    instance: nonEmpty(params.get('instance')),
    codes: codeParam === null ? [] : parseCodeList(codeParam).codes,
    category: isCloseCategory(category) ? category : null,
    initiator: isInitiator(initiator) ? initiator : null,
    label: parseLabel(params.get('label')),
  };

  const liveParam = params.get('live');
  const live = liveParam === '0' || liveParam === 'false' || liveParam === 'off' ? false : true;
  return { range, filters, live };
}

/** The filter parameters the API and the live feed share (no time range). */
export function filterParams(filters: Filters): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (filters.service !== null) out.push(['service', filters.service]);
  if (filters.route !== null) out.push(['route', filters.route]);
  if (filters.instance !== null) out.push(['instance', filters.instance]);
  if (filters.codes.length > 0) out.push(['code', formatCodeList(filters.codes)]);
  if (filters.category !== null) out.push(['category', filters.category]);
  if (filters.initiator !== null) out.push(['initiator', filters.initiator]);
  if (filters.label !== null) out.push(['label', `${filters.label.key}:${filters.label.value}`]);
  return out;
}

// Commas, colons and slashes are legal in a query string; leaving them readable keeps
// links like `?code=1011,1013&route=/ws` recognisable when pasted into an incident.
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}

/** Canonical query string (without `?`): range first, then filters, then live. */
export function serializeViewState(state: ViewState): string {
  const pairs: Array<[string, string]> = [];
  if (state.range.kind === 'relative') pairs.push(['range', state.range.preset]);
  else pairs.push(['from', formatUrlTime(state.range.from)], ['to', formatUrlTime(state.range.to)]);
  pairs.push(...filterParams(state.filters));
  pairs.push(['live', state.live ? '1' : '0']);
  return pairs.map(([k, v]) => `${k}=${encodeQueryValue(v)}`).join('&');
}

/** The absolute window a range covers at `now`; relative ranges slide with it. */
export function resolveRange(range: TimeRange, now: number): TimeWindow {
  if (range.kind === 'absolute') return { from: range.from, to: range.to };
  return { from: now - PRESET_MS[range.preset], to: now };
}

export function rangeDurationMs(range: TimeRange): number {
  return range.kind === 'relative' ? PRESET_MS[range.preset] : range.to - range.from;
}

/** Query parameters for a read endpoint: the resolved window plus the filters. */
export function apiParams(range: TimeRange, filters: Filters, now: number): URLSearchParams {
  const window = resolveRange(range, now);
  const params = new URLSearchParams();
  params.set('from', String(window.from));
  params.set('to', String(window.to));
  for (const [k, v] of filterParams(filters)) params.set(k, v);
  return params;
}

/**
 * A stable cache key for a range: relative ranges key on the preset, not on `now`,
 * so a refetch reuses the entry and slides its window instead of piling up entries.
 */
export function rangeKey(range: TimeRange): string {
  return range.kind === 'relative' ? range.preset : `${range.from}-${range.to}`;
}

export function filtersKey(filters: Filters): string {
  return new URLSearchParams(filterParams(filters)).toString();
}

export function hasFilters(filters: Filters): boolean {
  return filterParams(filters).length > 0;
}

/** The window in words, for every number's caption: `last 1 h`, `2026-11-26 10:00 - 11:30`. */
export function describeRange(range: TimeRange): string {
  if (range.kind === 'relative') return `last ${PRESET_LABELS[range.preset]}`;
  const sameDay = formatDate(range.from) === formatDate(range.to);
  return `${formatDateTime(range.from)} \u2013 ${sameDay ? formatClock(range.to) : formatDateTime(range.to)}`;
}

/** The window after "closures": `in the last 1 h`, `from 2026-11-26 10:00 to 11:30`. */
export function describeRangeIn(range: TimeRange): string {
  if (range.kind === 'relative') return `in the ${describeRange(range)}`;
  const sameDay = formatDate(range.from) === formatDate(range.to);
  return `from ${formatDateTime(range.from)} to ${sameDay ? formatClock(range.to) : formatDateTime(range.to)}`;
}

/** The comparison period in words: `previous 1 h`. */
export function describePreviousRange(range: TimeRange): string {
  if (range.kind === 'relative') return `previous ${PRESET_LABELS[range.preset]}`;
  return `previous ${formatDuration(range.to - range.from)}`;
}

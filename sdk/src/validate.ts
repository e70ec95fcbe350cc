/**
 * Option validation shared by the Node and browser entry points. Every check throws a
 * `TypeError` naming the option, at the call that received it: a typo in a config
 * should fail the deploy, not silently disable monitoring.
 */

/** Labels of an event: string keys to string values. */
export type Labels = Record<string, string>;

/** Collector limit on the number of labels (docs/api.md). */
export const MAX_LABELS = 16;
/** Collector limit on a label key, in characters. */
export const MAX_LABEL_KEY_LENGTH = 64;
/** Collector limit on a label value, in characters. */
export const MAX_LABEL_VALUE_LENGTH = 256;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}

function fail(name: string, expected: string, value: unknown): never {
  throw new TypeError(`closewatch: option "${name}" must be ${expected}, got ${show(value)}`);
}

/** The options argument itself: undefined, or a plain object. */
export function checkOptionsObject(value: unknown, name = 'options'): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`closewatch: ${name} must be an object, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A string option of 1 to `maxLength` characters, or `fallback` when absent. */
export function stringOption(
  value: unknown,
  name: string,
  fallback: string,
  maxLength: number,
): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    fail(name, `a non-empty string of at most ${maxLength} characters`, value);
  }
  return value;
}

/** An integer option in `[min, max]`, or `fallback` when absent. */
export function integerOption(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(name, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

/** A share from 0 to 1 (sampling), or `fallback` when absent. */
export function rateOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(name, 'a number from 0 to 1', value);
  return value;
}

/** A boolean option, or `fallback` when absent. */
export function booleanOption(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(name, 'a boolean', value);
  return value;
}

/** A callback option, or undefined when absent. */
export function functionOption<F>(value: unknown, name: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail(name, 'a function', value);
  return value as F;
}

/**
 * The collector's base URL (http or https, optionally with a path prefix when it sits
 * behind a reverse proxy), turned into the ingest endpoint.
 */
export function collectorEndpoint(value: unknown, name: string, fallback: string): string {
  const raw = value === undefined ? fallback : value;
  if (typeof raw !== 'string') fail(name, 'an http(s) URL string', raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(name, 'an absolute http(s) URL', raw);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(name, 'an http(s) URL', raw);
  if (url.search !== '' || url.hash !== '') fail(name, 'a URL without query or fragment', raw);
  const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
  return new URL('api/v1/events', base).href;
}

/**
 * Static labels: checked strictly (TypeError), copied and frozen so later mutation of
 * the caller's object cannot change what is sent.
 */
export function labelsOption(value: unknown, name: string): Readonly<Labels> {
  if (value === undefined) return Object.freeze({});
  const problem = labelsProblem(value);
  if (problem !== undefined) fail(name, `a map of string labels (${problem})`, value);
  return Object.freeze({ ...(value as Labels) });
}

/** Why `value` is not a valid label map, or undefined when it is. */
export function labelsProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not an object';
  const entries = Object.entries(value);
  if (entries.length > MAX_LABELS) return `at most ${MAX_LABELS} keys, got ${entries.length}`;
  for (const [key, item] of entries) {
    if (key.length === 0 || key.length > MAX_LABEL_KEY_LENGTH) {
      return `keys must have 1 to ${MAX_LABEL_KEY_LENGTH} characters, got "${key.slice(0, 80)}"`;
    }
    if (typeof item !== 'string') return `the value of "${key}" is not a string`;
    if (item.length > MAX_LABEL_VALUE_LENGTH) {
      return `the value of "${key}" is longer than ${MAX_LABEL_VALUE_LENGTH} characters`;
    }
  }
  return undefined;
}

/**
 * Merges static labels with labels a callback returned at run time. Callback results
 * are not trusted to be valid: bad entries are dropped or truncated so the event still
 * reaches the collector, and the returned message says what was fixed.
 */
export function mergeLabels(
  base: Readonly<Labels>,
  extra: unknown,
): { labels: Labels; problem: string | undefined } {
  const labels: Labels = { ...base };
  if (extra === undefined || extra === null) return { labels, problem: undefined };
  if (typeof extra !== 'object' || Array.isArray(extra)) {
    return { labels, problem: `labels callback returned ${show(extra)}, not an object` };
  }
  let problem: string | undefined;
  for (const [key, item] of Object.entries(extra)) {
    if (typeof item !== 'string' || key.length === 0 || key.length > MAX_LABEL_KEY_LENGTH) {
      problem ??= `label "${key.slice(0, 80)}" was dropped (keys 1-${MAX_LABEL_KEY_LENGTH} characters, string values)`;
      continue;
    }
    if (!(key in labels) && Object.keys(labels).length >= MAX_LABELS) {
      problem ??= `labels beyond ${MAX_LABELS} keys were dropped`;
      continue;
    }
    labels[key] = item.length > MAX_LABEL_VALUE_LENGTH ? item.slice(0, MAX_LABEL_VALUE_LENGTH) : item;
  }
  return { labels, problem };
}

/** Clamps a free-form string field to the collector's length limits. */
export function clampField(value: string, maxLength: number, fallback: string): string {
  if (value.length === 0) return fallback;
  return value.length > maxLength ? value.slice(0, maxLength) : value;
}

/**
 * Option validation shared by the Node and browser entry points. Every check throws a
 * `TypeError` naming the option, at the call that received it: a typo in a config
 * should fail the deploy, not silently disable monitoring.
 */
import {
  EVENT_LIMITS,
  findLabelProblem,
  isValidLabelKey,
  LABEL_KEY_RULE,
  showLabelKey,
} from './event-limits.js';

/** Labels of an event: string keys to string values. */
export type Labels = Record<string, string>;

/** A value as an error message shows it: strings quoted and cut to 40 characters, objects by kind. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}

/** Throws the `TypeError` of an invalid option: `option "name" must be <expected>, got <value>`. */
export function fail(name: string, expected: string, value: unknown): never {
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
  const problem = findLabelProblem(value);
  if (problem !== undefined) fail(name, `a map of labels (${problem.message})`, value);
  return Object.freeze({ ...(value as Labels) });
}

/**
 * Merges static labels with labels a callback returned at run time. Callback results
 * are not trusted: invalid entries are dropped (values too long are cut) so the event
 * still reaches the collector, and the returned message says what was fixed. Never
 * throws, also not for a result whose getters throw.
 */
export function mergeLabels(base: Readonly<Labels>, extra: unknown): { labels: Labels; problem: string | undefined } {
  const labels: Labels = { ...base };
  if (extra === undefined || extra === null) return { labels, problem: undefined };
  if (typeof extra !== 'object' || Array.isArray(extra)) {
    return { labels, problem: `labels callback returned ${show(extra)}, not an object` };
  }
  let problem: string | undefined;
  let count = Object.keys(labels).length;
  try {
    for (const key of Object.keys(extra)) {
      const item: unknown = (extra as Record<string, unknown>)[key];
      if (!isValidLabelKey(key)) {
        problem ??= `label key ${JSON.stringify(showLabelKey(key))} was dropped (keys are ${LABEL_KEY_RULE})`;
        continue;
      }
      if (typeof item !== 'string') {
        problem ??= `label ${key} was dropped (values are strings, got ${show(item)})`;
        continue;
      }
      const isNew = !Object.hasOwn(labels, key);
      if (isNew && count >= EVENT_LIMITS.maxLabels) {
        problem ??= `labels beyond ${EVENT_LIMITS.maxLabels} keys were dropped`;
        continue;
      }
      if (item.length <= EVENT_LIMITS.labelValueLength) labels[key] = item;
      else {
        problem ??= `label ${key} was cut to ${EVENT_LIMITS.labelValueLength} characters`;
        labels[key] = item.slice(0, EVENT_LIMITS.labelValueLength);
      }
      if (isNew) count++;
    }
  } catch (error) {
    return { labels: { ...base }, problem: `labels callback result could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
  return { labels, problem };
}

/** Clamps a free-form string field to the collector's length limits. */
export function clampField(value: string, maxLength: number, fallback: string): string {
  if (value.length === 0) return fallback;
  return value.length > maxLength ? value.slice(0, maxLength) : value;
}

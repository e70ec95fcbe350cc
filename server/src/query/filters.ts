import { Type, type Static } from '@sinclair/typebox';
import { CLOSE_CATEGORIES, isCloseCategory } from '@closewatch/sdk/close-codes';
import { EVENT_LIMITS } from '@closewatch/sdk/event-limits';
import { HttpError } from '../http/http-error.js';
import { alignWindow, DAY_MS, DEFAULT_RANGE_MS, MAX_RANGE_MS } from '../storage/time-window.js';
import type { CloseFilters, Initiator, LabelFilter, TimeWindow } from '../storage/types.js';

export type { CloseFilters, LabelFilter };

const INITIATORS: readonly Initiator[] = ['server', 'client', 'unknown'];

/**
 * What every read endpoint and the live feed accept. Values stay strings here and are
 * parsed by `parseFilters`, so a bad value gets a message that says how to fix it.
 */
export const FilterQuerySchema = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 64, description: 'RFC 3339 or epoch ms; default to - 1 h' })),
  to: Type.Optional(Type.String({ maxLength: 64, description: 'RFC 3339 or epoch ms; default now' })),
  service: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  instance: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  route: Type.Optional(Type.String({ maxLength: 512 })),
  code: Type.Optional(Type.String({ maxLength: 1024, description: 'comma list of integers 0-65535, `none` for no code' })),
  category: Type.Optional(Type.String({ maxLength: 64, description: CLOSE_CATEGORIES.join(' | ') })),
  initiator: Type.Optional(Type.String({ maxLength: 16, description: INITIATORS.join(' | ') })),
  label: Type.Optional(Type.String({ maxLength: 330, description: 'key:value' })),
});

export type FilterQuery = Static<typeof FilterQuerySchema>;

export interface ParsedQuery {
  /** The range as asked (defaults applied). */
  requested: TimeWindow;
  /** The range answered: widened to whole minutes, see `alignWindow`. */
  window: TimeWindow;
  filters: CloseFilters;
}

/** A 400 with the one code every read endpoint uses for a bad query parameter. */
export function invalidQuery(field: string, message: string): HttpError {
  return new HttpError(400, 'INVALID_QUERY', `querystring.${field}: ${message}`);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const TIME_HINT = 'must be RFC 3339 or epoch milliseconds; for example 2026-11-26T10:00:00Z';
/** Reads may look this far ahead of now; nothing is stored beyond a day ahead, so more is a typo. */
const MAX_READ_AHEAD_MS = 366 * DAY_MS;

/**
 * A time as every read takes it (epoch ms or RFC 3339), bounded so that every later step
 * (Date, bucket arithmetic) stays in range.
 * @returns the epoch ms, or what is wrong with it
 */
export function readTime(raw: string | number, now: number): number | { problem: string } {
  const text = String(raw).slice(0, 40);
  const ms = typeof raw === 'number' ? raw : /^\d{1,16}$/.test(raw) ? Number(raw) : RFC3339.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(ms)) return { problem: `"${text}" ${TIME_HINT}` };
  if (ms < EVENT_LIMITS.minTs || ms > now + MAX_READ_AHEAD_MS) {
    return { problem: `"${text}" is out of range; times must be from 2000-01-01T00:00:00Z to 366 days after now` };
  }
  return Math.trunc(ms);
}

function parseTime(field: 'from' | 'to', raw: string, now: number): number {
  const time = readTime(raw, now);
  if (typeof time !== 'number') throw invalidQuery(field, time.problem);
  return time;
}

function parseCodes(raw: string): Array<number | null> {
  const codes: Array<number | null> = [];
  for (const part of raw.split(',')) {
    const item = part.trim();
    if (item.toLowerCase() === 'none') codes.push(null);
    else if (/^\d{1,5}$/.test(item) && Number(item) <= 65535) codes.push(Number(item));
    else throw invalidQuery('code', `"${item.slice(0, 40)}" is not a close code; use integers 0-65535 or none, comma separated`);
  }
  return [...new Set(codes)];
}

function parseLabel(raw: string): LabelFilter {
  const at = raw.indexOf(':');
  if (at <= 0) throw invalidQuery('label', `"${raw.slice(0, 40)}" must be key:value, for example region:eu-west`);
  return { key: raw.slice(0, at), value: raw.slice(at + 1) };
}

/** Filters without the time range (the live feed has no range). */
export function parseCloseFilters(query: FilterQuery): CloseFilters {
  const filters: CloseFilters = {};
  if (query.service !== undefined) filters.service = query.service;
  if (query.instance !== undefined) filters.instance = query.instance;
  if (query.route !== undefined) filters.route = query.route;
  if (query.code !== undefined) filters.codes = parseCodes(query.code);
  if (query.category !== undefined) {
    if (!isCloseCategory(query.category)) {
      throw invalidQuery('category', `"${query.category}" is not a category; use one of ${CLOSE_CATEGORIES.join(', ')}`);
    }
    filters.category = query.category;
  }
  if (query.initiator !== undefined) {
    const initiator = INITIATORS.find((i) => i === query.initiator);
    if (initiator === undefined) throw invalidQuery('initiator', `"${query.initiator}" must be server, client or unknown`);
    filters.initiator = initiator;
  }
  if (query.label !== undefined) filters.label = parseLabel(query.label);
  return filters;
}

/**
 * Parses the shared filters of a read endpoint.
 *
 * @throws {HttpError} 400 INVALID_QUERY naming the parameter.
 */
export function parseFilters(query: FilterQuery, now: number = Date.now()): ParsedQuery {
  const to = query.to === undefined ? now : parseTime('to', query.to, now);
  const from = query.from === undefined ? to - DEFAULT_RANGE_MS : parseTime('from', query.from, now);
  if (from >= to) {
    throw invalidQuery('from', `must be before to (from ${new Date(from).toISOString()}, to ${new Date(to).toISOString()})`);
  }
  if (to - from > MAX_RANGE_MS) {
    throw invalidQuery('from', `the range is longer than ${MAX_RANGE_MS / 86_400_000} days; ask for a shorter range`);
  }
  return { requested: { from, to }, window: alignWindow(from, to), filters: parseCloseFilters(query) };
}

/** Field hints for schema violations (limits, enums), so they read like the parse errors above. */
const SCHEMA_HINTS: Readonly<Record<string, string>> = {
  from: TIME_HINT,
  to: TIME_HINT,
  service: 'must be 1-128 characters',
  instance: 'must be 1-128 characters',
  route: 'must be at most 512 characters',
  code: 'must be integers 0-65535 or none, comma separated',
  category: `must be one of ${CLOSE_CATEGORIES.join(', ')}`,
  initiator: 'must be server, client or unknown',
  label: 'must be key:value, for example region:eu-west',
};

interface SchemaIssue {
  instancePath?: string;
  message?: string;
}

/** Turns fastify's attached validation error into our INVALID_QUERY error. */
export function schemaError(error: Error & { validation?: SchemaIssue[] }, hints: Readonly<Record<string, string>> = {}): HttpError {
  const first = error.validation?.[0];
  const field = (first?.instancePath ?? '').replace(/^\//, '').split('/')[0] || 'query';
  const hint = hints[field] ?? SCHEMA_HINTS[field];
  return invalidQuery(field, hint ?? first?.message ?? 'is invalid');
}

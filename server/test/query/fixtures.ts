import type { FastifyInstance } from 'fastify';
import type { StoredCloseEvent } from '../../src/storage/types.js';
import { seededRandom as prng } from '../helpers/events.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

// A deterministic random set of close events and plain-loop helpers that compute
// what the API must answer for it. Nothing here calls the query code under test:
// categories and abnormal codes are spelled out from the registry's documentation.

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** An hour boundary; events spread over BASE - 7 h .. BASE + 7 h. */
export const BASE = Date.UTC(2026, 10, 20, 6, 0, 0);
export const SPAN_START = BASE - 7 * HOUR;
export const SPAN_END = BASE + 7 * HOUR;
/** No events are stored in this half-hour, so buckets there must be zero-filled. */
export const GAP = { from: BASE + 2 * HOUR + 10 * MINUTE, to: BASE + 2 * HOUR + 40 * MINUTE };

export const CATEGORY_OF: Readonly<Record<string, string>> = {
  none: 'normal',
  '999': 'invalid',
  '1000': 'normal',
  '1001': 'going-away',
  '1005': 'normal',
  '1006': 'abnormal',
  '1008': 'client-error',
  '1011': 'server-error',
  '1013': 'overload',
  '1014': 'server-error',
  '3000': 'application',
  '4001': 'application',
};
/** 1006 (no close frame) and the server-error codes 1011 and 1014. */
export const ABNORMAL = new Set<number | null>([1006, 1011, 1014]);

export const codeKey = (code: number | null): string => (code === null ? 'none' : String(code));
export const categoryOf = (code: number | null): string => CATEGORY_OF[codeKey(code)] as string;


const CODES: Array<number | null> = [1000, 1000, 1000, 1000, 1001, 1001, 1006, 1006, 1011, 1013, 1008, 4001, 3000, null, 1005, 999, 1014];
const TEMPLATES: Readonly<Record<string, string[]>> = {
  '1000': ['', '', 'bye'],
  '1001': ['', 'server shutting down'],
  '1008': ['token expired for user {n}', 'rate limit'],
  '1011': ['handler failed after {n} ms', 'db down'],
  '1013': ['too many connections ({n})'],
  '4001': ['user {n} banned', 'room {n} full', 'kicked'],
};
const SERVICES = ['api', 'chat', 'feed'];
const ROUTES = ['/ws/a', '/ws/b', '/ws/c'];
const INITIATORS = ['server', 'client', 'unknown'] as const;
const REGIONS = ['eu', 'us'];
/** Lifetimes including the bucket edges themselves, to pin the bucket boundaries. */
const EDGE_DURATIONS = [0, 999, 1000, 59_999, 60_000, 65_000, 86_400_000, 100_000_000];

export function makeEvents(count: number, seed = 7): StoredCloseEvent[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const events: StoredCloseEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    let ts = SPAN_START + Math.floor(random() * (SPAN_END - SPAN_START));
    if (ts >= GAP.from && ts < GAP.to) ts -= 40 * MINUTE;
    if (i % 97 === 0) ts = ts - (ts % HOUR); // some exactly on hour boundaries
    const code = pick(CODES);
    const templates = TEMPLATES[codeKey(code)] ?? [''];
    const template = pick(templates);
    const n = Math.floor(random() * 50);
    const service = pick(SERVICES);
    const labels: Record<string, string> = {};
    if (random() < 0.8) labels.region = pick(REGIONS);
    if (random() < 0.3) labels.tier = 'gold';
    if (i % 50 === 0) labels['we"ird'] = 'yes';
    const durationRoll = random();
    events.push({
      keyId: 'test',
      eventId: `fx-${seed}-${i}`,
      ts,
      receivedAt: ts + 500,
      code,
      reason: template.replace('{n}', String(n)),
      reasonTruncated: false,
      reasonTemplate: template,
      wasClean: code !== 1006,
      initiator: pick(INITIATORS),
      source: 'server',
      service,
      instance: `${service}-${Math.floor(random() * 3)}`,
      route: pick(ROUTES),
      durationMs: durationRoll < 0.1 ? null : durationRoll < 0.2 ? pick(EDGE_DURATIONS) : Math.floor(random() * 400_000),
      messagesIn: 3,
      messagesOut: 4,
      bytesIn: 100,
      bytesOut: 200,
      labels,
      remoteAddrHash: null,
      clientKey: null,
      clientAgent: null,
      previousCode: null,
      reconnectDelayMs: null,
    });
  }
  return events;
}

/** Stores events through the collector's own group-committed write path. */
export async function seed(app: FastifyInstance, events: readonly StoredCloseEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) await app.db.writer.write(events.slice(i, i + 1000));
}

/** The documented widening: from down and to up to whole minutes. */
export function aligned(from: number, to: number): { from: number; to: number } {
  return { from: Math.floor(from / MINUTE) * MINUTE, to: Math.ceil(to / MINUTE) * MINUTE };
}

export interface Filter {
  service?: string;
  instance?: string;
  route?: string;
  codes?: Array<number | null>;
  category?: string;
  initiator?: string;
  label?: [string, string];
}

export function matches(e: StoredCloseEvent, f: Filter): boolean {
  if (f.service !== undefined && e.service !== f.service) return false;
  if (f.instance !== undefined && e.instance !== f.instance) return false;
  if (f.route !== undefined && e.route !== f.route) return false;
  if (f.initiator !== undefined && e.initiator !== f.initiator) return false;
  if (f.codes !== undefined && !f.codes.includes(e.code)) return false;
  if (f.category !== undefined && categoryOf(e.code) !== f.category) return false;
  if (f.label !== undefined && e.labels[f.label[0]] !== f.label[1]) return false;
  return true;
}

/** Events of `all` in `[from, to)` passing `f`. */
export function select(all: readonly StoredCloseEvent[], window: { from: number; to: number }, f: Filter = {}): StoredCloseEvent[] {
  const out: StoredCloseEvent[] = [];
  for (const e of all) if (e.ts >= window.from && e.ts < window.to && matches(e, f)) out.push(e);
  return out;
}

/** The querystring of a filter, as the dashboard would send it. */
/** `from`, `to` and the filters of a request, as a query string. */
export function rangeQuery(range: { from: number; to: number }, f: Filter): string {
  const q = filterQuery(f);
  return `from=${range.from}&to=${range.to}${q ? `&${q}` : ''}`;
}

/** A collector on a fresh database seeded with the standard event set, for one test file. */
export async function seededApp(count = 4000): Promise<{ t: TestApp; events: StoredCloseEvent[] }> {
  const t = await startTestApp();
  const events = makeEvents(count);
  await seed(t.app, events);
  return { t, events };
}

export function filterQuery(f: Filter): string {
  const parts: string[] = [];
  if (f.service !== undefined) parts.push(`service=${encodeURIComponent(f.service)}`);
  if (f.instance !== undefined) parts.push(`instance=${encodeURIComponent(f.instance)}`);
  if (f.route !== undefined) parts.push(`route=${encodeURIComponent(f.route)}`);
  if (f.codes !== undefined) parts.push(`code=${f.codes.map((c) => (c === null ? 'none' : String(c))).join(',')}`);
  if (f.category !== undefined) parts.push(`category=${f.category}`);
  if (f.initiator !== undefined) parts.push(`initiator=${f.initiator}`);
  if (f.label !== undefined) parts.push(`label=${encodeURIComponent(`${f.label[0]}:${f.label[1]}`)}`);
  return parts.join('&');
}

/** Counts per key, as a plain object (for deepStrictEqual). */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** Filters that rollups answer, and ones that need raw events, for looping over in tests. */
export const ROLLUP_FILTERS: Filter[] = [
  {},
  { service: 'chat' },
  { route: '/ws/b' },
  { codes: [1006] },
  { codes: [1000, null, 4001] },
  { codes: [null] },
  { category: 'server-error' },
  { category: 'normal' },
  { initiator: 'client' },
  { service: 'api', category: 'application', initiator: 'server' },
];
export const RAW_FILTERS: Filter[] = [
  { instance: 'chat-1' },
  { label: ['region', 'eu'] },
  { label: ['we"ird', 'yes'] },
  { instance: 'api-2', codes: [1000, 1011], route: '/ws/a' },
  { label: ['tier', 'gold'], category: 'abnormal' },
];

/** Non-aligned ranges: sub-minute edges, whole hours inside with minute edges, and less than an hour. */
export const RANGES: Array<{ from: number; to: number }> = [
  { from: BASE - 3 * HOUR - 17 * MINUTE - 13_456, to: BASE + 2 * HOUR + 41 * MINUTE + 7_001 },
  { from: BASE + 12 * MINUTE + 30_000, to: BASE + 48 * MINUTE + 1 },
  { from: BASE - HOUR, to: BASE + HOUR },
  // A whole UTC day (read from day rollups) with hour and minute rows at both ends.
  { from: BASE - 30 * HOUR - 7 * MINUTE - 2_345, to: BASE + 4 * HOUR + 41 * MINUTE + 9 },
  // Edges longer than half a day: sums read them as their whole day less the rest of it
  // (the rest of the last day holds events), and must drop what that cancels.
  { from: BASE - 20 * HOUR - 3 * MINUTE - 17, to: BASE + 6 * HOUR + 29 * MINUTE + 77 },
];

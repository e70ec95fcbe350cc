/**
 * The benchmarks' data set: a realistic week of closes (50 services, their routes and
 * instances, mostly clean closes, a tail of 1006/1011/1013/4xxx with templated reasons,
 * lifetimes with a 60 s proxy-timeout wall for 1006, clients that reconnect), written
 * through the real write path. bench:query and bench:alerts share it (BENCH_DB keeps the file between runs).
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { StoredCloseEvent } from '../server/src/storage/types.js';
import { EventStore } from '../server/src/storage/sqlite/event-store.js';
import { applyMigrations } from '../server/src/storage/sqlite/migrations.js';
import { openSqlite } from '../server/src/storage/sqlite/open-sqlite.js';
import { seededRandom as prng } from '../server/src/demo/seeded-random.js';

const CHUNK = 10_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The data spans the week before the fill. */
export const SPAN = 7 * DAY;

// A realistic week of closes for the query benchmark: a few services with their
// routes and instances, mostly clean closes, a tail of 1006/1011/1013/4xxx with
// templated reasons, lifetimes with a 60 s proxy-timeout wall for 1006.


interface Service {
  name: string;
  weight: number;
  routes: string[];
  instances: string[];
}

/** Four large services and a tail of 46 small ones: 50 in all, as a fleet of teams has. */
export const SERVICES: Service[] = [
  { name: 'chat-gateway', weight: 0.36, routes: ['/ws/chat', '/ws/rooms', '/ws/dm'], instances: [] },
  { name: 'market-feed', weight: 0.27, routes: ['/ws/quotes', '/ws/orders'], instances: [] },
  { name: 'notifications', weight: 0.18, routes: ['/ws/notify', '/ws/inbox', '/ws/badges', '/ws/push'], instances: [] },
  { name: 'presence', weight: 0.09, routes: ['/ws/presence'], instances: [] },
  ...Array.from({ length: 46 }, (_, i) => ({ name: `svc-${String(i + 1).padStart(2, '0')}`, weight: 0.1 / 46, routes: ['/ws', '/ws/events'], instances: [] })),
];
for (const s of SERVICES) for (let i = 0; i < 6; i += 1) s.instances.push(`${s.name}-${(0x5f3a + i * 7919).toString(16)}`);

interface CodeMix {
  code: number | null;
  weight: number;
  /** Reason templates with `{n}` placeholders, and their weights; '' is "no reason". */
  reasons: Array<[string, number]>;
  initiator: (r: number) => StoredCloseEvent['initiator'];
}

const CODES: CodeMix[] = [
  { code: 1000, weight: 0.6, reasons: [['', 0.8], ['bye', 0.15], ['session {n} ended', 0.05]], initiator: (r) => (r < 0.6 ? 'client' : 'server') },
  { code: 1001, weight: 0.2, reasons: [['', 0.5], ['server shutting down', 0.3], ['page unload', 0.2]], initiator: (r) => (r < 0.5 ? 'client' : 'server') },
  { code: 1006, weight: 0.09, reasons: [['', 1]], initiator: () => 'unknown' },
  { code: 1011, weight: 0.025, reasons: [['handler failed: timeout after {n} ms', 0.6], ['unexpected error {n}', 0.4]], initiator: () => 'server' },
  { code: 1012, weight: 0.01, reasons: [['service restart', 0.8], ['', 0.2]], initiator: () => 'server' },
  { code: 1013, weight: 0.02, reasons: [['too many connections ({n})', 0.7], ['shedding load', 0.3]], initiator: () => 'server' },
  { code: 1005, weight: 0.01, reasons: [['', 1]], initiator: () => 'client' },
  { code: null, weight: 0.01, reasons: [['', 1]], initiator: () => 'unknown' },
  { code: 1008, weight: 0.015, reasons: [['token expired for user {n}', 0.7], ['rate limit exceeded', 0.3]], initiator: () => 'server' },
  { code: 4001, weight: 0.01, reasons: [['user {n} banned', 1]], initiator: () => 'server' },
  { code: 4003, weight: 0.006, reasons: [['room {n} is full', 1]], initiator: () => 'server' },
  { code: 4008, weight: 0.004, reasons: [['idle for {n} s', 1]], initiator: () => 'server' },
];

function pick<T extends { weight: number }>(items: readonly T[], r: number): T {
  let acc = 0;
  for (const item of items) {
    acc += item.weight;
    if (r < acc) return item;
  }
  return items[items.length - 1] as T;
}

function pickReason(mix: CodeMix, r: number): string {
  let acc = 0;
  for (const [template, weight] of mix.reasons) {
    acc += weight;
    if (r < acc) return template;
  }
  return mix.reasons[0]?.[0] ?? '';
}

const REGIONS = ['eu-west', 'us-east', 'ap-south'];

/**
 * Clients: event i belongs to client i mod clients, so a client's connections close
 * about 3 minutes apart whatever the data set's size. With log-uniform lifetimes some of
 * its next connections open within 10 minutes of a close, some before it, some later: a
 * realistic share of reconnects for /stats/reconnects to match.
 */
const CLIENT_GAP_MS = 3 * 60_000;
const clientCount = (total: number): number => Math.max(1, Math.round((total * CLIENT_GAP_MS) / SPAN));
const AGENTS = ['Chrome 131', 'Firefox 133', 'Safari 17', 'okhttp 4', 'Python websockets 13', 'ws 8'];

/** Lifetimes: mostly minutes, 1006s pile up at the 60 s idle timeout of a proxy. */
function duration(code: number | null, r: number, r2: number): number {
  if (code === 1006 && r < 0.5) return 60_000 + Math.floor(r2 * 1500);
  return Math.floor(Math.exp(r2 * 14)); // 1 ms .. ~20 min, log-uniform
}

/**
 * Events `first .. first + count - 1` of `total`, spread evenly over `[start, end)`
 * with jitter, in time order (as a live system stores them).
 */
export function makeEvents(first: number, count: number, total: number, start: number, end: number): StoredCloseEvent[] {
  const random = prng(first + 1);
  const clients = clientCount(total);
  const span = end - start;
  const events: StoredCloseEvent[] = new Array(count);
  for (let k = 0; k < count; k += 1) {
    const i = first + k;
    const ts = Math.min(end - 1, start + Math.floor((i / total) * span + random() * 1000));
    const service = pick(SERVICES, random());
    const mix = pick(CODES, random());
    const template = pickReason(mix, random());
    const n = Math.floor(random() * 100_000);
    const durationMs = random() < 0.97 ? duration(mix.code, random(), random()) : null;
    events[k] = {
      keyId: 'bench',
      eventId: `ev-${i.toString(36).padStart(8, '0')}`,
      ts,
      receivedAt: ts + Math.floor(random() * 2000),
      code: mix.code,
      reason: template.replace('{n}', String(n)),
      reasonTruncated: false,
      reasonTemplate: template,
      wasClean: mix.code !== 1006 && mix.code !== null,
      initiator: mix.initiator(random()),
      source: 'server',
      service: service.name,
      instance: service.instances[Math.floor(random() * service.instances.length)] as string,
      route: service.routes[Math.floor(random() * service.routes.length)] as string,
      durationMs,
      messagesIn: Math.floor(random() * 500),
      messagesOut: Math.floor(random() * 2000),
      bytesIn: Math.floor(random() * 50_000),
      bytesOut: Math.floor(random() * 400_000),
      labels: { region: REGIONS[Math.floor(random() * REGIONS.length)] as string, plan: random() < 0.8 ? 'free' : 'pro' },
      remoteAddrHash: null,
      clientKey: `client-${(i % clients).toString(36)}`,
      clientAgent: AGENTS[(i % clients) % AGENTS.length] as string,
      previousCode: null,
      reconnectDelayMs: null,
    };
  }
  return events;
}

/** Fills a migrated database with `total` closes over the week before now, through the real write path. */
export function fill(path: string, total: number): void {
  const sqlite = openSqlite(path);
  const store = new EventStore(sqlite);
  const end = Date.now();
  const start = end - SPAN;
  const began = performance.now();
  let reported = 0;
  for (let first = 0; first < total; first += CHUNK) {
    store.writeBatches([makeEvents(first, Math.min(CHUNK, total - first), total, start, end)]);
    const done = Math.min(total, first + CHUNK);
    const pct = Math.floor((done / total) * 100);
    if (pct >= reported + 5 || done === total) {
      reported = pct;
      const seconds = (performance.now() - began) / 1000;
      process.stdout.write(`  filled ${done.toLocaleString('en')} events (${pct}%), ${Math.round(done / seconds).toLocaleString('en')} rows/s, ${seconds.toFixed(0)} s\n`);
    }
  }
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
}

/** The database at `path`, filled with `total` events unless the file exists already (BENCH_DB). */
export async function benchDatabase(path: string, total: number): Promise<void> {
  if (existsSync(path)) {
    process.stdout.write(`reusing ${path}\n`);
    return;
  }
  process.stdout.write(`creating ${path} and filling it with ${total.toLocaleString('en')} events over 7 days\n`);
  await applyMigrations(`file:${path}`);
  fill(path, total);
}

/**
 * Query benchmark: fills a database with a week of closes through the real write path
 * (EventStore.writeBatches, 10k events per transaction), then times every read
 * endpoint over 1 h, 24 h and 7 d, next to the same question asked as a plain
 * GROUP BY over the raw close_event table.
 *
 *   npm run bench:query                    10 million events (a few minutes)
 *   BENCH_EVENTS=1000000 npm run bench:query
 *   BENCH_DB=/tmp/cw-bench.db npm run bench:query   keep the filled file and reuse it next time
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { LIFETIME_EDGES_MS } from '@closewatch/sdk/lifetime-buckets';
import { buildApp } from '../server/src/build-app.js';
import type { StoredCloseEvent } from '../server/src/storage/types.js';
import { loadConfig } from '../server/src/plugins/config.js';
import { EventStore } from '../server/src/storage/sqlite/event-store.js';
import { applyMigrations } from '../server/src/storage/sqlite/migrations.js';
import { openSqlite } from '../server/src/storage/sqlite/open-sqlite.js';
import { seededRandom as prng } from '../server/src/demo/seeded-random.js';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const CHUNK = 10_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SPAN = 7 * DAY;


// A realistic week of closes for the query benchmark: a few services with their
// routes and instances, mostly clean closes, a tail of 1006/1011/1013/4xxx with
// templated reasons, lifetimes with a 60 s proxy-timeout wall for 1006.


interface Service {
  name: string;
  weight: number;
  routes: string[];
  instances: string[];
}

const SERVICES: Service[] = [
  { name: 'chat-gateway', weight: 0.4, routes: ['/ws/chat', '/ws/rooms', '/ws/dm'], instances: [] },
  { name: 'market-feed', weight: 0.3, routes: ['/ws/quotes', '/ws/orders'], instances: [] },
  { name: 'notifications', weight: 0.2, routes: ['/ws/notify', '/ws/inbox', '/ws/badges', '/ws/push'], instances: [] },
  { name: 'presence', weight: 0.1, routes: ['/ws/presence'], instances: [] },
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
    };
  }
  return events;
}

// ---------------------------------------------------------------- fill

function fill(path: string): void {
  const sqlite = openSqlite(path);
  const store = new EventStore(sqlite);
  const end = Date.now();
  const start = end - SPAN;
  const began = performance.now();
  let reported = 0;
  for (let first = 0; first < TOTAL; first += CHUNK) {
    store.writeBatches([makeEvents(first, Math.min(CHUNK, TOTAL - first), TOTAL, start, end)]);
    const done = Math.min(TOTAL, first + CHUNK);
    const pct = Math.floor((done / TOTAL) * 100);
    if (pct >= reported + 5 || done === TOTAL) {
      reported = pct;
      const seconds = (performance.now() - began) / 1000;
      process.stdout.write(`  filled ${done.toLocaleString('en')} events (${pct}%), ${Math.round(done / seconds).toLocaleString('en')} rows/s, ${seconds.toFixed(0)} s\n`);
    }
  }
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
}

// ---------------------------------------------------------------- timing

interface Timing {
  p50: number;
  p95: number;
  n: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Times `fn` up to `maxSamples` times within `budgetMs`. A first run under a second is
 * a warm-up; a slower one is kept as the only sample if it used the budget up (the
 * raw 7-day GROUP BYs take seconds each).
 */
async function measure(fn: () => unknown, maxSamples: number, budgetMs: number): Promise<Timing> {
  const began = performance.now();
  await fn();
  const first = performance.now() - began;
  const samples: number[] = first > 1000 ? [first] : [];
  while (samples.length < maxSamples && (samples.length === 0 || performance.now() - began < budgetMs)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), n: samples.length };
}

function apiCall(app: FastifyInstance, url: string): () => Promise<void> {
  return async () => {
    const res = await app.inject({ method: 'GET', url });
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  };
}

/** The same questions as plain GROUP BYs over close_event (what the rollups save us). */
function rawQuestions(db: Database.Database, from: number, to: number, bucketMs: number): Record<string, () => unknown> {
  const range = 'ts >= @from AND ts < @to';
  const all = (sql: string, params: Record<string, number> = {}) => {
    const stmt = db.prepare(sql);
    return () => stmt.all({ from, to, ...params });
  };
  const lifetimeCase = `CASE ${LIFETIME_EDGES_MS.map((e, i) => [e, i] as const)
    .slice(1)
    .reverse()
    .map(([e, i]) => `WHEN duration_ms >= ${e} THEN ${i}`)
    .join(' ')} ELSE 0 END`;
  const summary = all(`SELECT code, COUNT(*) AS n FROM close_event WHERE ${range} GROUP BY code`);
  const previous = db.prepare(`SELECT code, COUNT(*) AS n FROM close_event WHERE ${range} GROUP BY code`);
  const byService = all(`SELECT service, route, code, COUNT(*) FROM close_event WHERE ${range} GROUP BY service, route, code`);
  const byInstance = all(`SELECT service, instance, COUNT(*) FROM close_event WHERE ${range} GROUP BY service, instance`);
  return {
    summary: () => [summary(), previous.all({ from: from - (to - from), to: from })],
    timeseries: all(`SELECT (ts / @b) * @b AS t, code, COUNT(*) FROM close_event WHERE ${range} GROUP BY t, code`, { b: bucketMs }),
    reasons: all(`SELECT code, reason_template, COUNT(*) FROM close_event WHERE ${range} GROUP BY code, reason_template`),
    breakdown: () => [byService(), byInstance()],
    lifetimes: all(`SELECT code, ${lifetimeCase} AS lb, COUNT(*) FROM close_event WHERE ${range} AND duration_ms IS NOT NULL GROUP BY code, lb`),
    events: all(`SELECT * FROM close_event WHERE ${range} ORDER BY seq DESC LIMIT 51`),
  };
}

// ---------------------------------------------------------------- main

const ENDPOINTS: Array<[string, string]> = [
  ['summary', '/api/v1/stats/summary'],
  ['timeseries', '/api/v1/stats/timeseries'],
  ['reasons', '/api/v1/stats/reasons'],
  ['breakdown', '/api/v1/stats/breakdown'],
  ['lifetimes', '/api/v1/stats/lifetimes'],
  ['events', '/api/v1/events'],
];
const RANGES: Array<[string, number, number]> = [
  ['1 h', HOUR, 60_000],
  ['24 h', DAY, 15 * 60_000],
  ['7 d', 7 * DAY, HOUR],
];

async function main(): Promise<void> {
  const keep = process.env.BENCH_DB;
  const dir = keep ? null : mkdtempSync(join(tmpdir(), 'closewatch-bench-'));
  const path = keep ?? join(dir as string, 'bench.db');
  const url = `file:${path}`;
  if (!existsSync(path)) {
    process.stdout.write(`creating ${path} and filling it with ${TOTAL.toLocaleString('en')} events over 7 days\n`);
    await applyMigrations(url);
    fill(path);
  } else {
    process.stdout.write(`reusing ${path}\n`);
  }
  process.stdout.write(`database: ${(statSync(path).size / 1024 / 1024).toFixed(0)} MiB\n`);

  const app = await buildApp({ config: loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', DASHBOARD_DIR: '' }) });
  await app.ready();
  // The baseline's own read-only connection on the main thread: the plain way, no worker.
  const baseline = new Database(path, { readonly: true });
  try {
    const stats = baseline.prepare('SELECT MAX(ts) AS t, MAX(seq) AS n FROM close_event').get() as { t: number; n: number };
    const end = Number(stats.t) + 1;
    const count = Number(stats.n);
    const rows: string[] = [];
    const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
    for (const [label, range, bucketMs] of RANGES) {
      const from = end - range;
      const raw = rawQuestions(baseline, from, end, bucketMs);
      for (const [name, path] of ENDPOINTS) {
        const api = await measure(apiCall(app, `${path}?from=${from}&to=${end}`), 40, 4_000);
        const plain = await measure(raw[name] as () => unknown, 10, 4_000);
        const ratio = plain.p50 / api.p50;
        const row = `| ${name} | ${label} | ${fmt(api.p50)} | ${fmt(api.p95)} | ${fmt(plain.p50)} | ${fmt(plain.p95)} | ${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}x | ${api.n}/${plain.n} |`;
        rows.push(row);
        process.stdout.write(`${row}\n`);
      }
    }
    process.stdout.write(
      `\n${count.toLocaleString('en')} events; API = app.inject (p50/p95 ms), raw = plain GROUP BY over close_event via better-sqlite3 (ms); ` +
        `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs\n\n` +
        '| endpoint | range | API p50 | API p95 | raw p50 | raw p95 | raw/API | runs |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n' +
        `${rows.join('\n')}\n`,
    );
  } finally {
    baseline.close();
    await app.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:query failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

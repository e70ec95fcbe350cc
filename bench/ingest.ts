/**
 * `npm run bench:ingest`: events/s acknowledged over HTTP by the real collector on a
 * temporary database, p50/p99 acknowledgement latency and peak RSS; then, in the same
 * run, the raw better-sqlite3 insert rate for the same rows, and the ratio.
 *
 * The events go in two halves: the first with nothing else running (the idle p99), the
 * second while another client repeats the heaviest read there is (a 31-day summary
 * filtered by label, which scans raw events). Reads run on their own threads and
 * connections, so the goal is an ingest p99 within 1.5x of the idle one.
 *
 * A third part measures retention: BENCH_PRUNE_EVENTS events 40 days old (past the
 * default 30-day RETENTION_DAYS) are written before the collector starts, then half of
 * BENCH_EVENTS more are ingested while the collector prunes them (PRUNE_BATCH_ROWS rows a
 * transaction, between ingest transactions): the goal is again an ack p99 within 1.5x of
 * the idle one.
 *
 * Settings: BENCH_EVENTS (default 1,000,000), BENCH_BATCH (500), BENCH_CONNECTIONS (8), BENCH_CLIENTS (1,000,000),
 * BENCH_PRUNE_EVENTS (default BENCH_EVENTS), BENCH_READ_NICE (the collector's READ_NICE, default 10),
 * BENCH_WAL_LIMIT_MB (its WAL_LIMIT_MB, default 128). `-- --engine postgres` runs bench/ingest-postgres.ts instead.
 */
import { statSync } from 'node:fs';
import { buildApp } from '../server/src/build-app.js';
import { loadConfig } from '../server/src/plugins/config.js';
import { openSqlite } from '../server/src/storage/sqlite/open-sqlite.js';
import { EventStore } from '../server/src/storage/sqlite/event-store.js';
import { createTestDatabase } from '../server/test/helpers/test-database.js';
import { storedEvent } from '../server/test/helpers/stored-event.js';
import { BATCH, CONNECTIONS, fmt, HEAVY_READ, httpPhase, KEY, log, percentile, READ_TOKEN, TOTAL, type HttpPhase } from './ingest-http.js';

/** Writes `count` events of 40 days ago straight into the file (before the collector opens it): what retention will delete. */
function writeOldEvents(path: string, count: number): void {
  const db = openSqlite(path);
  const store = new EventStore(db);
  const start = Date.now() - 40 * 86_400_000;
  const services = ['chat', 'feed', 'market', 'presence'];
  for (let i = 0; i < count; i += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, count - i) }, (_, j) => {
      const n = i + j;
      const ts = start + n * 5;
      return storedEvent({ eventId: `old-${n}`, ts, receivedAt: ts, service: services[n % 4] as string, instance: `i-${n % 7}`, route: `/ws/${n % 5}`, code: n % 10 === 0 ? 1006 : 1000, reason: n % 10 === 0 ? '' : 'bye', reasonTemplate: n % 10 === 0 ? '' : 'bye', labels: { region: 'eu-west' } });
    });
    store.writeBatches([batch], [], Date.now());
  }
  db.close();
}

const PRUNE_EVENTS = Number(process.env.BENCH_PRUNE_EVENTS ?? TOTAL);
/** The collector's READ_NICE (its default, 10, unless BENCH_READ_NICE says otherwise: 0 shows reads and ingest on equal terms). */
const READ_NICE = Number(process.env.BENCH_READ_NICE ?? 10);
/** The collector's WAL_LIMIT_MB (its default, 128, unless BENCH_WAL_LIMIT_MB says otherwise: 65536 shows a WAL left to grow). */
const WAL_LIMIT_MB = Number(process.env.BENCH_WAL_LIMIT_MB ?? 128);

/** Largest size the WAL file reached while `work` ran (sampled every 100 ms), in MiB. */
async function largestWal<T>(path: string, work: Promise<T>): Promise<[T, number]> {
  let largest = 0;
  const sample = (): void => {
    largest = Math.max(largest, statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await work;
    sample();
    return [result, largest / 1024 / 1024];
  } finally {
    clearInterval(timer);
  }
}

/** The floor: the same stored rows through one plain prepared INSERT, 10k rows a transaction, same schema and pragmas. */
function rawPhase(sourcePath: string, targetPath: string): number {
  const source = openSqlite(sourcePath, { readonly: true });
  // Named columns, not *: the copy stays right when a migration adds a column.
  const columns =
    'key_id, event_id, ts, received_at, code, reason, reason_truncated, reason_template, was_clean, initiator, source, service, instance, route, duration_ms, ' +
    'messages_in, messages_out, bytes_in, bytes_out, labels, remote_addr_hash, client_key, client_agent, opened_at, previous_code, reconnect_delay_ms';
  const rows = source.prepare(`SELECT ${columns} FROM close_event`).raw().all() as unknown[][];
  source.close();
  const target = openSqlite(targetPath);
  const insert = target.prepare(`INSERT INTO close_event (${columns}) VALUES (${columns.split(',').map(() => '?').join(', ')})`);
  const insertMany = target.transaction((chunk: unknown[][]) => {
    for (const row of chunk) insert.run(row);
  });
  const started = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += 10_000) insertMany(rows.slice(i, i + 10_000));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  target.close();
  return rows.length / seconds;
}

async function main(): Promise<void> {
  log(`bench:ingest  ${fmt(TOTAL)} events, batches of ${BATCH}, ${CONNECTIONS} concurrent connections, load from a separate process`);
  const db = await createTestDatabase();
  const baselineDb = await createTestDatabase();
  log(`writing ${fmt(PRUNE_EVENTS)} events of 40 days ago for the prune phase ...`);
  writeOldEvents(db.path, PRUNE_EVENTS);
  const app = await buildApp({
    config: loadConfig({
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
      DASHBOARD_DIR: '',
      CLOSEWATCH_INGEST_KEY: KEY,
      MAX_BATCH_EVENTS: String(Math.max(BATCH, 10_000)),
      // One key sends everything here; its per-key limit is not what is measured.
      INGEST_RATE_LIMIT: '10000000',
      PRUNE_INTERVAL_MINUTES: '0',
      READ_NICE: String(READ_NICE),
      WAL_LIMIT_MB: String(WAL_LIMIT_MB),
    }),
  });
  await app.ready();
  await app.db.keys.ensure(KEY, 'bench');
  await app.db.keys.ensure(READ_TOKEN, 'bench reads', 'read');
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  log(`collector on ${url}, database ${db.path}, read threads at nice ${READ_NICE}`);
  try {
    const half = Math.floor(TOTAL / BATCH / 2) * BATCH;
    log(`phase 1: ${fmt(half)} events, nothing else running`);
    const [idle, idleWal] = await largestWal(db.path, httpPhase(url, half, 0));
    log(`phase 2: ${fmt(TOTAL - half)} events while a client repeats ${HEAVY_READ(0).split('?')[0]} over 31 days with a label filter`);
    const [loaded, loadedWal] = await largestWal(db.path, httpPhase(url, TOTAL - half, half / BATCH, { path: HEAVY_READ(Date.now()), token: READ_TOKEN }));
    const http: HttpPhase = {
      eventsPerSecond: (TOTAL * 1000) / (idle.elapsedMs + loaded.elapsedMs),
      p50: idle.p50,
      p99: idle.p99,
      elapsedMs: idle.elapsedMs + loaded.elapsedMs,
      loadCpuPerEvent: (idle.loadCpuPerEvent * half + loaded.loadCpuPerEvent * (TOTAL - half)) / TOTAL,
      reads: loaded.reads,
    };
    log(`phase 3: ${fmt(half)} events while the collector prunes ${fmt(PRUNE_EVENTS)} events past retention`);
    const pruneStarted = Date.now();
    let pruneMs = 0;
    const pruning = app.retention.runNow().then((record) => {
      pruneMs = Date.now() - pruneStarted;
      return record;
    });
    const [duringPrune, pruneWal] = await largestWal(db.path, httpPhase(url, half, TOTAL / BATCH));
    const ingestMs = Date.now() - pruneStarted;
    const pruned = await pruning;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    await app.close();
    const stored = (() => {
      const check = openSqlite(db.path, { readonly: true });
      const n = (check.prepare('SELECT count(*) AS n FROM close_event').get() as { n: number }).n;
      const rolled = (check.prepare('SELECT sum(count) AS n FROM close_rollup_minute WHERE bucket > ?').get(Date.now() - 86_400_000) as { n: number }).n;
      check.close();
      return { n, rolled };
    })();
    log('raw better-sqlite3 baseline: inserting the same rows with one prepared statement ...');
    const raw = rawPhase(db.path, baselineDb.path);
    log('');
    log(`events stored                     ${fmt(stored.n)} (rollups of the last day count ${fmt(stored.rolled)})`);
    log(`acknowledged over HTTP            ${fmt(idle.eventsPerSecond)} events/s idle, ${fmt(loaded.eventsPerSecond)} events/s under reads (${(http.elapsedMs / 1000).toFixed(1)} s in all)`);
    log(`ack latency per batch of ${BATCH}      idle: p50 ${idle.p50.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms`);
    log(`                                  under heavy reads: p50 ${loaded.p50.toFixed(1)} ms, p99 ${loaded.p99.toFixed(1)} ms`);
    const reads = loaded.reads;
    if (reads !== null) {
      const sortedReads = [...reads.latencies].sort((a, b) => a - b);
      log(`heavy reads during phase 2        ${reads.reads} (p50 ${percentile(sortedReads, 50).toFixed(0)} ms; answers ${Object.entries(reads.statuses).map(([s, n]) => `${n}x ${s}`).join(', ')})`);
    }
    log(`largest WAL file                  ${idleWal.toFixed(0)} MiB idle, ${loadedWal.toFixed(0)} MiB under reads, ${pruneWal.toFixed(0)} MiB during the prune (WAL_LIMIT_MB ${WAL_LIMIT_MB})`);
    log(`ratio p99 under reads / idle      ${(loaded.p99 / idle.p99).toFixed(2)}x (goal <= 1.5x)`);
    log(`                                  during a prune: p50 ${duringPrune.p50.toFixed(1)} ms, p99 ${duringPrune.p99.toFixed(1)} ms`);
    log(`ratio p99 during prune / idle     ${(duringPrune.p99 / idle.p99).toFixed(2)}x (goal <= 1.5x)`);
    log(`prune                             ${fmt(pruned.events)} events in ${fmt(pruned.batches)} transactions, ${(pruneMs / 1000).toFixed(1)} s ` +
      `(${fmt((pruned.events * 1000) / Math.max(1, pruneMs))} events/s), ${(pruned.reclaimedBytes / 1024 / 1024).toFixed(0)} MiB given back; ` +
      `ingest phase ${(ingestMs / 1000).toFixed(1)} s${pruneMs > ingestMs ? '' : ' (the prune ended first: raise BENCH_PRUNE_EVENTS for a longer overlap)'}`);
    log(`collector peak RSS                ${peakRssMb.toFixed(0)} MB`);
    log(`raw better-sqlite3 insert         ${fmt(raw)} rows/s (same rows, same schema, no HTTP/validation/rollups)`);
    log(`ratio HTTP (idle) / raw           ${((idle.eventsPerSecond / raw) * 100).toFixed(1)} %`);
    const expected = TOTAL + half;
    if (stored.n !== expected || stored.rolled !== expected) throw new Error(`expected ${expected} stored and rolled up, got ${stored.n} / ${stored.rolled}`);
    if (pruned.events !== PRUNE_EVENTS) throw new Error(`expected ${PRUNE_EVENTS} events pruned, got ${pruned.events}`);
  } finally {
    await app.close();
    await db.cleanup();
    await baselineDb.cleanup();
  }
}

if (process.argv.includes('--engine') && process.argv[process.argv.indexOf('--engine') + 1] === 'postgres') {
  await import('./ingest-postgres.js');
} else {
  await main().catch((error: unknown) => {
    process.stderr.write(`bench:ingest failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

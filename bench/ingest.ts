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
 * Settings: BENCH_EVENTS (default 1,000,000), BENCH_BATCH (500), BENCH_CONNECTIONS (8).
 * `-- --engine postgres` runs bench/ingest-postgres.ts instead.
 */
import { buildApp } from '../server/src/build-app.js';
import { loadConfig } from '../server/src/plugins/config.js';
import { openSqlite } from '../server/src/storage/sqlite/open-sqlite.js';
import { createTestDatabase } from '../server/test/helpers/test-database.js';
import { BATCH, CONNECTIONS, fmt, HEAVY_READ, httpPhase, KEY, log, percentile, READ_TOKEN, TOTAL, type HttpPhase } from './ingest-http.js';

/** The floor: the same stored rows through one plain prepared INSERT, 10k rows a transaction, same schema and pragmas. */
function rawPhase(sourcePath: string, targetPath: string): number {
  const source = openSqlite(sourcePath, { readonly: true });
  const rows = source.prepare('SELECT * FROM close_event').raw().all() as unknown[][];
  source.close();
  const target = openSqlite(targetPath);
  const columns = 'key_id, event_id, ts, received_at, code, reason, reason_truncated, reason_template, was_clean, initiator, source, service, instance, route, duration_ms, messages_in, messages_out, bytes_in, bytes_out, labels, remote_addr_hash';
  const insert = target.prepare(`INSERT INTO close_event (${columns}) VALUES (${columns.split(',').map(() => '?').join(', ')})`);
  const insertMany = target.transaction((chunk: unknown[][]) => {
    for (const row of chunk) insert.run(row.slice(1));
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
  const app = await buildApp({
    config: loadConfig({
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
      DASHBOARD_DIR: '',
      CLOSEWATCH_INGEST_KEY: KEY,
      MAX_BATCH_EVENTS: String(Math.max(BATCH, 10_000)),
      // One key sends everything here; its per-key limit is not what is measured.
      INGEST_RATE_LIMIT: '10000000',
    }),
  });
  await app.ready();
  await app.db.keys.ensure(KEY, 'bench');
  await app.db.keys.ensure(READ_TOKEN, 'bench reads', 'read');
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  log(`collector on ${url}, database ${db.path}`);
  try {
    const half = Math.floor(TOTAL / BATCH / 2) * BATCH;
    log(`phase 1: ${fmt(half)} events, nothing else running`);
    const idle = await httpPhase(url, half, 0);
    log(`phase 2: ${fmt(TOTAL - half)} events while a client repeats ${HEAVY_READ(0).split('?')[0]} over 31 days with a label filter`);
    const loaded = await httpPhase(url, TOTAL - half, half / BATCH, { path: HEAVY_READ(Date.now()), token: READ_TOKEN });
    const http: HttpPhase = {
      eventsPerSecond: (TOTAL * 1000) / (idle.elapsedMs + loaded.elapsedMs),
      p50: idle.p50,
      p99: idle.p99,
      elapsedMs: idle.elapsedMs + loaded.elapsedMs,
      reads: loaded.reads,
    };
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    await app.close();
    const stored = (() => {
      const check = openSqlite(db.path, { readonly: true });
      const n = (check.prepare('SELECT count(*) AS n FROM close_event').get() as { n: number }).n;
      const rolled = (check.prepare('SELECT sum(count) AS n FROM close_rollup_minute').get() as { n: number }).n;
      check.close();
      return { n, rolled };
    })();
    log('raw better-sqlite3 baseline: inserting the same rows with one prepared statement ...');
    const raw = rawPhase(db.path, baselineDb.path);
    log('');
    log(`events stored                     ${fmt(stored.n)} (rollups count ${fmt(stored.rolled)})`);
    log(`acknowledged over HTTP            ${fmt(idle.eventsPerSecond)} events/s idle, ${fmt(loaded.eventsPerSecond)} events/s under reads (${(http.elapsedMs / 1000).toFixed(1)} s in all)`);
    log(`ack latency per batch of ${BATCH}      idle: p50 ${idle.p50.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms`);
    log(`                                  under heavy reads: p50 ${loaded.p50.toFixed(1)} ms, p99 ${loaded.p99.toFixed(1)} ms`);
    const reads = loaded.reads;
    if (reads !== null) {
      const sortedReads = [...reads.latencies].sort((a, b) => a - b);
      log(`heavy reads during phase 2        ${reads.reads} (p50 ${percentile(sortedReads, 50).toFixed(0)} ms; answers ${Object.entries(reads.statuses).map(([s, n]) => `${n}x ${s}`).join(', ')})`);
    }
    log(`ratio p99 under reads / idle      ${(loaded.p99 / idle.p99).toFixed(2)}x (goal <= 1.5x)`);
    log(`collector peak RSS                ${peakRssMb.toFixed(0)} MB`);
    log(`raw better-sqlite3 insert         ${fmt(raw)} rows/s (same rows, same schema, no HTTP/validation/rollups)`);
    log(`ratio HTTP (idle) / raw           ${((idle.eventsPerSecond / raw) * 100).toFixed(1)} %`);
    if (stored.n !== TOTAL || stored.rolled !== TOTAL) throw new Error(`expected ${TOTAL} stored and rolled up, got ${stored.n} / ${stored.rolled}`);
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

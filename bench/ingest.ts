/**
 * `npm run bench:ingest`: events/s acknowledged over HTTP by the real collector on a
 * temporary database, p50/p99 acknowledgement latency and peak RSS; then, in the same
 * run, the raw better-sqlite3 insert rate for the same rows, and the ratio.
 *
 * Settings: BENCH_EVENTS (default 1,000,000), BENCH_BATCH (500), BENCH_CONNECTIONS (8).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../server/src/build-app.js';
import { loadConfig } from '../server/src/plugins/config.js';
import { openSqlite } from '../server/src/storage/sqlite/open-sqlite.js';
import { createTestDatabase } from '../server/test/helpers/test-database.js';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const KEY = 'cw_bench_key_0123456789abcdef';

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function httpPhase(url: string): Promise<{ eventsPerSecond: number; p50: number; p99: number; elapsedMs: number }> {
  const child = fork(fileURLToPath(new URL('./ingest-load.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    let lastPrint = 0;
    child.on('message', (msg: { type: string; acknowledged?: number; latencies?: number[]; elapsedMs?: number; message?: string }) => {
      if (msg.type === 'progress' && Date.now() - lastPrint > 1000) {
        lastPrint = Date.now();
        log(`  ... ${fmt(msg.acknowledged ?? 0)} / ${fmt(TOTAL)} events acknowledged`);
      } else if (msg.type === 'done') {
        const sorted = (msg.latencies ?? []).sort((a, b) => a - b);
        const acknowledged = sorted.length * BATCH;
        child.kill();
        resolve({ eventsPerSecond: (acknowledged * 1000) / (msg.elapsedMs ?? 1), p50: percentile(sorted, 50), p99: percentile(sorted, 99), elapsedMs: msg.elapsedMs ?? 0 });
      } else if (msg.type === 'error') {
        child.kill();
        reject(new Error(msg.message));
      }
    });
    child.on('exit', (code) => code !== 0 && code !== null && reject(new Error(`load generator exited ${code}`)));
    child.send({ url, key: KEY, totalEvents: TOTAL, batchSize: BATCH, connections: CONNECTIONS, runId: `r${Date.now()}` });
  });
}

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
  const app = await buildApp({ config: loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'warn', DASHBOARD_DIR: '', CLOSEWATCH_INGEST_KEY: KEY, MAX_BATCH_EVENTS: String(Math.max(BATCH, 10_000)) }) });
  await app.ready();
  await app.db.keys.ensure(KEY, 'bench');
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  log(`collector on ${url}, database ${db.path}`);
  try {
    const http = await httpPhase(url);
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
    log(`acknowledged over HTTP            ${fmt(http.eventsPerSecond)} events/s (${(http.elapsedMs / 1000).toFixed(1)} s)`);
    log(`ack latency per batch of ${BATCH}      p50 ${http.p50.toFixed(1)} ms, p99 ${http.p99.toFixed(1)} ms`);
    log(`collector peak RSS                ${peakRssMb.toFixed(0)} MB`);
    log(`raw better-sqlite3 insert         ${fmt(raw)} rows/s (same rows, same schema, no HTTP/validation/rollups)`);
    log(`ratio HTTP / raw                  ${((http.eventsPerSecond / raw) * 100).toFixed(1)} %`);
    if (stored.n !== TOTAL || stored.rolled !== TOTAL) throw new Error(`expected ${TOTAL} stored and rolled up, got ${stored.n} / ${stored.rolled}`);
  } finally {
    await app.close();
    db.cleanup();
    baselineDb.cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:ingest failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

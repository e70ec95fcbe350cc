/**
 * `npm run bench:query -- --engine postgres`: the query benchmark on PostgreSQL. Fills a
 * database with the same week of closes through the real PostgreSQL write path, then times
 * every read endpoint over 1 h, 24 h and 7 d next to a plain GROUP BY over close_event.
 * PostgreSQL is a throwaway cluster in a temporary folder, or BENCH_PG_URL (an admin URL;
 * the database is made there and dropped after). BENCH_EVENTS (default 10,000,000).
 *   BENCH_PG_DB=postgresql://.../closewatch_bench npm run bench:query -- --engine postgres
 * fills that (existing, empty) database and keeps it; the next run finds it filled and only reads.
 */
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { LIFETIME_EDGES_MS } from '@closewatch/sdk/lifetime-buckets';
import { buildApp } from '../server/src/build-app.js';
import { loadConfig } from '../server/src/plugins/config.js';
import { applyMigrations } from '../server/src/storage/migrate.js';
import { openStorage } from '../server/src/storage/open-storage.js';
import { startPostgresCluster } from '../server/test/helpers/postgres-cluster.js';
import { createTestDatabase } from '../server/test/helpers/test-database.js';
import { makeEvents, SPAN } from './dataset.js';
import { ENDPOINTS, RANGES, READ_TOKEN, timeEndpoint } from './query-shared.js';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const CHUNK = 10_000;

async function fill(url: string): Promise<void> {
  const storage = await openStorage({ url, writerHeapMb: 512, maxRoutesPerServiceHour: 500, maxQueuedBatches: 100, maxQueuedBytes: 1 << 30, readWorkers: 1, readBudgetMs: 60_000 });
  const end = Date.now();
  const start = end - SPAN;
  const began = performance.now();
  let reported = 0;
  const inFlight: Array<Promise<unknown>> = [];
  for (let first = 0; first < TOTAL; first += CHUNK) {
    inFlight.push(storage.writer.write(makeEvents(first, Math.min(CHUNK, TOTAL - first), TOTAL, start, end)));
    if (inFlight.length >= 4) await inFlight.shift();
    const done = Math.min(TOTAL, first + CHUNK);
    const pct = Math.floor((done / TOTAL) * 100);
    if (pct >= reported + 5 || done === TOTAL) {
      reported = pct;
      const seconds = (performance.now() - began) / 1000;
      process.stdout.write(`  filled ${done.toLocaleString('en')} events (${pct}%), ${Math.round(done / seconds).toLocaleString('en')} rows/s, ${seconds.toFixed(0)} s\n`);
    }
  }
  await Promise.all(inFlight);
  await storage.close();
}

async function main(): Promise<void> {
  const keep = process.env.BENCH_PG_DB;
  const cluster = keep || process.env.BENCH_PG_URL ? null : await startPostgresCluster();
  process.env.CLOSEWATCH_TEST_PG_URL = cluster?.adminUrl ?? process.env.BENCH_PG_URL;
  const db = keep ? { url: keep, cleanup: async () => undefined } : await createTestDatabase('postgres');
  if (keep) await applyMigrations(keep);
  const client = new pg.Client({ connectionString: db.url });
  try {
    await client.connect();
    const filled = (await client.query<{ filled: boolean }>('SELECT EXISTS (SELECT 1 FROM close_event) AS filled')).rows[0]?.filled === true;
    if (!filled) {
      process.stdout.write(`filling a PostgreSQL database with ${TOTAL.toLocaleString('en')} events over 7 days\n`);
      await fill(db.url);
    } else process.stdout.write('reading the events stored by an earlier run (BENCH_PG_DB)\n');
    await client.query('VACUUM ANALYZE');
    const size = await client.query('SELECT pg_database_size(current_database())::float8 AS bytes');
    process.stdout.write(`database: ${((size.rows[0] as { bytes: number }).bytes / 1024 / 1024).toFixed(0)} MiB\n`);
    const app = await buildApp({ config: loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', DASHBOARD_DIR: '', ALERT_EVAL_INTERVAL_MS: '0' }) });
    await app.ready();
    await app.db.keys.ensure(READ_TOKEN, 'bench reads', 'read');
    const stats = (await client.query('SELECT MAX(ts)::float8 AS t, MAX(seq)::float8 AS n FROM close_event')).rows[0] as { t: number; n: number };
    const end = stats.t + 1;
    const rows: string[] = [];
    for (const [label, range, bucketMs] of RANGES) {
      const from = end - range;
      const raw: Record<string, () => Promise<unknown>> = {
        summary: () => client.query('SELECT code, count(*) FROM close_event WHERE ts >= $1 AND ts < $2 GROUP BY code', [from, end]),
        timeseries: () => client.query('SELECT (ts / $3) * $3 AS t, code, count(*) FROM close_event WHERE ts >= $1 AND ts < $2 GROUP BY 1, 2', [from, end, bucketMs]),
        reasons: () => client.query('SELECT code, reason_template, count(*) FROM close_event WHERE ts >= $1 AND ts < $2 GROUP BY 1, 2', [from, end]),
        breakdown: () => client.query('SELECT service, route, code, count(*) FROM close_event WHERE ts >= $1 AND ts < $2 GROUP BY 1, 2, 3', [from, end]),
        lifetimes: () => client.query('SELECT code, width_bucket(duration_ms, $3::bigint[]) AS lb, count(*) FROM close_event WHERE ts >= $1 AND ts < $2 AND duration_ms IS NOT NULL GROUP BY 1, 2', [from, end, LIFETIME_EDGES_MS]),
        reconnects: () =>
          client.query(
            `SELECT code, CASE WHEN next_open IS NULL OR next_open >= ts + 600000 THEN -1 ELSE (next_open - ts) / 1000 END AS d, count(*)
             FROM (SELECT ts, code, initiator, lead(opened_at) OVER (PARTITION BY client_key, service ORDER BY opened_at) AS next_open
                   FROM close_event WHERE ts >= $1 AND ts < $2::bigint + 600000 AND client_key IS NOT NULL) AS w
             WHERE ts >= $1 AND ts < $2 AND code IN (1001, 1012, 1013) AND initiator = 'server' GROUP BY 1, 2`,
            [from, end],
          ),
        events: () => client.query('SELECT * FROM close_event WHERE ts >= $1 AND ts < $2 ORDER BY seq DESC LIMIT 51', [from, end]),
      };
      for (const [name, path] of ENDPOINTS) {
        const row = await timeEndpoint(app, name, label, `${path}?from=${from}&to=${end}`, raw[name] as () => Promise<unknown>);
        rows.push(row);
        process.stdout.write(`${row}\n`);
      }
    }
    await app.close();
    process.stdout.write(
      `\n${stats.n.toLocaleString('en')} events on PostgreSQL; API = app.inject (p50/p95 ms, goal p95 < 100 ms at 24 h and 7 d), raw = plain GROUP BY over close_event via pg (ms); ` +
        `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs\n\n` +
        '| endpoint | range | API p50 | API p95 | raw p50 | raw p95 | raw/API | runs |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n' +
        `${rows.join('\n')}\n`,
    );
  } finally {
    await client.end().catch(() => undefined);
    await db.cleanup();
    cluster?.stop();
  }
}

await main().catch((error: unknown) => {
  process.stderr.write(`bench:query failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

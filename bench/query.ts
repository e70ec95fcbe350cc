/**
 * Query benchmark: fills a database with a week of closes through the real write path
 * (EventStore.writeBatches, 10k events per transaction), then times every read
 * endpoint over 1 h, 24 h and 7 d, next to the same question asked as a plain
 * GROUP BY over the raw close_event table.
 *
 *   npm run bench:query                    10 million events (a few minutes)
 *   BENCH_EVENTS=1000000 npm run bench:query
 *   BENCH_DB=/tmp/cw-bench.db npm run bench:query   keep the filled file and reuse it next time
 *   npm run bench:query -- --engine postgres       the same on PostgreSQL (bench/query-postgres.ts)
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LIFETIME_EDGES_MS } from '@closewatch/sdk/lifetime-buckets';
import { buildApp } from '../server/src/build-app.js';
import type { StoredCloseEvent } from '../server/src/storage/types.js';
import { loadConfig } from '../server/src/plugins/config.js';
import { benchDatabase } from './dataset.js';
import { formatSizeReport, measureDatabaseSize } from './db-size.js';
import { ENDPOINTS, RANGES, READ_TOKEN, timeEndpoint } from './query-shared.js';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const CHUNK = 10_000;


// ---------------------------------------------------------------- timing

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
    // Each client's connections in open order, the next one's open time beside each close.
    reconnects: all(`SELECT code, CASE WHEN next_open IS NULL OR next_open >= ts + 600000 THEN -1 ELSE (next_open - ts) / 1000 END AS d, COUNT(*)
      FROM (SELECT ts, code, initiator, LEAD(opened_at) OVER (PARTITION BY client_key, service ORDER BY opened_at) AS next_open
            FROM close_event WHERE ts >= @from AND ts < @to + 600000 AND client_key IS NOT NULL)
      WHERE ${range} AND code IN (1001, 1012, 1013) AND initiator = 'server' GROUP BY code, d`),
    events: all(`SELECT * FROM close_event WHERE ${range} ORDER BY seq DESC LIMIT 51`),
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const keep = process.env.BENCH_DB;
  const dir = keep ? null : mkdtempSync(join(tmpdir(), 'closewatch-bench-'));
  const path = keep ?? join(dir as string, 'bench.db');
  const url = `file:${path}`;
  await benchDatabase(path, TOTAL);
  process.stdout.write(`database: ${(statSync(path).size / 1024 / 1024).toFixed(0)} MiB\n`);
  const size = formatSizeReport(measureDatabaseSize(path));
  process.stdout.write(`${size}\n`);

  const app = await buildApp({ config: loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', DASHBOARD_DIR: '' }) });
  await app.ready();
  await app.db.keys.ensure(READ_TOKEN, 'bench reads', 'read');
  // The baseline's own read-only connection on the main thread: the plain way, no worker.
  const baseline = new Database(path, { readonly: true });
  try {
    const stats = baseline.prepare('SELECT MAX(ts) AS t, MAX(seq) AS n FROM close_event').get() as { t: number; n: number };
    const end = Number(stats.t) + 1;
    const count = Number(stats.n);
    const rows: string[] = [];
    for (const [label, range, bucketMs] of RANGES) {
      const from = end - range;
      const raw = rawQuestions(baseline, from, end, bucketMs);
      for (const [name, path] of ENDPOINTS) {
        const row = await timeEndpoint(app, name, label, `${path}?from=${from}&to=${end}`, raw[name] as () => unknown);
        rows.push(row);
        process.stdout.write(`${row}\n`);
      }
    }
    process.stdout.write(
      `\n${count.toLocaleString('en')} events; API = app.inject (p50/p95 ms), raw = plain GROUP BY over close_event via better-sqlite3 (ms); ` +
        `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs\n\n` +
        '| endpoint | range | API p50 | API p95 | raw p50 | raw p95 | raw/API | runs |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n' +
        `${rows.join('\n')}\n\n${size}`,
    );
  } finally {
    baseline.close();
    await app.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--engine') && process.argv[process.argv.indexOf('--engine') + 1] === 'postgres') {
  await import('./query-postgres.js');
} else {
  await main().catch((error: unknown) => {
    process.stderr.write(`bench:query failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

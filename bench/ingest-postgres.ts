/**
 * `npm run bench:ingest -- --engine postgres`: events/s acknowledged over HTTP by one
 * collector on PostgreSQL and by two collector processes on the same database (the load
 * split between them), and in the same run the raw `COPY` rate of the same rows into an
 * empty table (the ceiling: the median of three) and one collector on SQLite, with the ratios. PostgreSQL is a
 * throwaway cluster in a temporary folder (Debian's `postgresql`), or BENCH_PG_URL.
 * Settings: BENCH_EVENTS (default 1,000,000), BENCH_BATCH (500), BENCH_CONNECTIONS (8).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildApp } from '../server/src/build-app.js';
import { loadConfig } from '../server/src/plugins/config.js';
import { REPO_ROOT } from '../server/src/storage/database-url.js';
import { startPostgresCluster } from '../server/test/helpers/postgres-cluster.js';
import { createTestDatabase, type TestDatabase } from '../server/test/helpers/test-database.js';
import { BATCH, CONNECTIONS, fmt, httpPhase, KEY, log, TOTAL, type HttpPhase } from './ingest-http.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const SETTINGS = { LOG_LEVEL: 'warn', DASHBOARD_DIR: '', CLOSEWATCH_INGEST_KEY: KEY, MAX_BATCH_EVENTS: String(Math.max(BATCH, 10_000)), INGEST_RATE_LIMIT: '10000000', ALERT_EVAL_INTERVAL_MS: '0' };

/** One collector in this process on `databaseUrl`, `events` sent to it over HTTP. */
async function inProcess(databaseUrl: string, events: number): Promise<HttpPhase> {
  const app = await buildApp({ config: loadConfig({ DATABASE_URL: databaseUrl, ...SETTINGS }) });
  await app.ready();
  await app.db.keys.ensure(KEY, 'bench');
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await httpPhase(url, events, 0);
  } finally {
    await app.close();
  }
}

async function collectorProcess(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  // The collector's V8 flags as `npm start` and the image run it (Dockerfile CMD).
  const child = spawn(process.execPath, ['--max-semi-space-size=32', '--conditions=closewatch-source', '--import', 'tsx', 'src/server.ts'], {
    cwd: join(REPO_ROOT, 'server'),
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', CLOSEWATCH_ADMIN_PASSWORD: 'bench-password-0123', ...SETTINGS },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while ((await fetch(`${url}/readyz`).catch(() => null))?.status !== 200) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('a collector process did not become ready');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child };
}

/** How many times the ceiling is measured: the same COPY measured 30k to 45k rows/s from one run to the next. */
const CEILING_RUNS = 3;

/**
 * The ceiling: the rows stored by a run, sent again with COPY into an empty table of the
 * same shape, CEILING_RUNS times (a new table each time); the rates sorted, low to high.
 */
async function copyRates(sourceUrl: string): Promise<{ rows: number; perSecond: number[] }> {
  const client = new pg.Client({ connectionString: sourceUrl });
  await client.connect();
  try {
    const exported: string[] = [];
    const columns = 'key_id, event_id, ts, received_at, code, reason, reason_truncated, reason_template, was_clean, initiator, source, service, instance, route, duration_ms, messages_in, messages_out, bytes_in, bytes_out, labels, remote_addr_hash, client_key, client_agent, opened_at, previous_code, reconnect_delay_ms';
    // The rows as COPY text, read once before the clock starts.
    const text = await client.query(`SELECT concat_ws(E'\\t', ${columns.split(', ').map((c) => `coalesce(replace(replace(replace(${c}::text, '\\', '\\\\'), E'\\t', '\\t'), E'\\n', '\\n'), '\\N')`).join(', ')}) AS line FROM close_event`);
    for (const row of text.rows as Array<{ line: string }>) exported.push(`${row.line}\n`);
    const perSecond: number[] = [];
    for (let run = 1; run <= CEILING_RUNS; run += 1) {
      await client.query('DROP TABLE IF EXISTS copy_ceiling');
      await client.query('CREATE TABLE copy_ceiling (LIKE close_event INCLUDING ALL)');
      const started = process.hrtime.bigint();
      await pipeline(Readable.from(exported, { objectMode: false }), client.query(copyFrom(`COPY copy_ceiling (${columns}) FROM STDIN`)));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      perSecond.push(exported.length / seconds);
      log(`  COPY ${run} of ${CEILING_RUNS}: ${fmt(exported.length / seconds)} rows/s`);
    }
    await client.query('DROP TABLE copy_ceiling');
    return { rows: exported.length, perSecond: perSecond.sort((a, b) => a - b) };
  } finally {
    await client.end();
  }
}

async function count(url: string): Promise<{ n: number; rolled: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query('SELECT (SELECT count(*) FROM close_event)::int AS n, (SELECT coalesce(sum(count), 0) FROM close_rollup_minute)::int AS rolled');
    return r.rows[0] as { n: number; rolled: number };
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  log(`bench:ingest --engine postgres  ${fmt(TOTAL)} events per run, batches of ${BATCH}, ${CONNECTIONS} concurrent connections per collector, load from separate processes`);
  const cluster = process.env.BENCH_PG_URL ? null : await startPostgresCluster();
  if (cluster) process.env.CLOSEWATCH_TEST_PG_URL = cluster.adminUrl;
  else process.env.CLOSEWATCH_TEST_PG_URL = process.env.BENCH_PG_URL;
  const made: TestDatabase[] = [];
  const database = async (engine: 'sqlite' | 'postgres'): Promise<TestDatabase> => {
    const db = await createTestDatabase(engine);
    made.push(db);
    return db;
  };
  try {
    log('run 1: one collector on SQLite');
    const sqlite = await inProcess((await database('sqlite')).url, TOTAL);
    log('run 2: one collector on PostgreSQL');
    const one = await database('postgres');
    const pgOne = await inProcess(one.url, TOTAL);
    log('run 3: two collector processes on one PostgreSQL database, half the load each');
    const two = await database('postgres');
    const collectors = [await collectorProcess(two.url), await collectorProcess(two.url)];
    const half = Math.floor(TOTAL / BATCH / 2) * BATCH;
    const started = Date.now();
    const phases = await Promise.all([httpPhase(collectors[0]!.url, half, 0), httpPhase(collectors[1]!.url, TOTAL - half, half / BATCH)]);
    const pgTwoRate = (TOTAL * 1000) / (Date.now() - started);
    for (const c of collectors) c.child.kill('SIGTERM');
    await Promise.all(collectors.map((c) => (c.child.exitCode === null ? once(c.child, 'exit') : null)));
    log(`run 4: the same rows with COPY into an empty table (the ceiling), ${CEILING_RUNS} times`);
    const copy = await copyRates(one.url);
    const ceiling = copy.perSecond[Math.floor(CEILING_RUNS / 2)] as number;
    const stored = [await count(one.url), await count(two.url)];

    log('');
    log(`events stored (PG 1 / PG 2)         ${fmt(stored[0]!.n)} / ${fmt(stored[1]!.n)} (rollups count ${fmt(stored[0]!.rolled)} / ${fmt(stored[1]!.rolled)})`);
    log(`SQLite, one collector              ${fmt(sqlite.eventsPerSecond)} events/s acknowledged (p99 ${sqlite.p99.toFixed(1)} ms a batch)`);
    log(`PostgreSQL, one collector          ${fmt(pgOne.eventsPerSecond)} events/s acknowledged (p99 ${pgOne.p99.toFixed(1)} ms a batch)`);
    log(`PostgreSQL, two collectors         ${fmt(pgTwoRate)} events/s acknowledged (p99 ${Math.max(...phases.map((p) => p.p99)).toFixed(1)} ms a batch)`);
    log(`PostgreSQL raw COPY (ceiling)      ${fmt(ceiling)} rows/s, the median of ${copy.perSecond.map(fmt).join(', ')} (${fmt(copy.rows)} rows each)`);
    log(`ratio two PG collectors / SQLite   ${(pgTwoRate / sqlite.eventsPerSecond).toFixed(2)}x (goal >= 1.0x)`);
    log(`ratio two PG collectors / COPY     ${((pgTwoRate / ceiling) * 100).toFixed(1)} % (goal >= 50 %; ${copy.perSecond.map((c) => `${((pgTwoRate / c) * 100).toFixed(1)} %`).join(', ')} of each)`);
    log(`ratio one PG collector / COPY      ${((pgOne.eventsPerSecond / ceiling) * 100).toFixed(1)} %`);
    if (stored.some((s) => s.n !== TOTAL || s.rolled !== TOTAL)) throw new Error(`expected ${TOTAL} stored and rolled up in each PostgreSQL run`);
  } finally {
    for (const db of made) await db.cleanup().catch(() => undefined);
    cluster?.stop();
  }
}

await main().catch((error: unknown) => {
  process.stderr.write(`bench:ingest failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

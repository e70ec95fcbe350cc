/**
 * `npm run bench:ingest -- --engine postgres`: events/s acknowledged over HTTP by one
 * collector on PostgreSQL and by two collector processes on the same database (the load
 * split between them), and in the same run the raw `COPY` rate of the same rows into an
 * empty table (the ceiling: the median of four, two measured just before the two
 * collectors and two just after) and one collector on SQLite, with the ratios and the
 * share of CPU time the host took for other machines during each (steal). PostgreSQL is a
 * throwaway cluster in a temporary folder (Debian's `postgresql`), or BENCH_PG_URL.
 * Settings: BENCH_EVENTS (default 1,000,000), BENCH_BATCH (500), BENCH_CONNECTIONS (8).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
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

/**
 * How many times the ceiling is measured, half just before the two-collector run and half
 * just after it: the same COPY measured 26k to 54k rows/s from one minute to the next on
 * a shared host, so the ceiling brackets the run it is compared with.
 */
const CEILING_RUNS = 4;

/** The columns the ceiling's COPY sends: every column but seq, which the new table draws itself. */
const COPY_COLUMNS = 'key_id, event_id, ts, received_at, code, reason, reason_truncated, reason_template, was_clean, initiator, source, service, instance, route, duration_ms, messages_in, messages_out, bytes_in, bytes_out, labels, remote_addr_hash, client_key, client_agent, opened_at, previous_code, reconnect_delay_ms';

/** The rows stored in `sourceUrl`'s database as COPY text lines, read once before any clock starts. */
async function exportRows(sourceUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: sourceUrl });
  await client.connect();
  try {
    const text = await client.query(`SELECT concat_ws(E'\\t', ${COPY_COLUMNS.split(', ').map((c) => `coalesce(replace(replace(replace(${c}::text, '\\', '\\\\'), E'\\t', '\\t'), E'\\n', '\\n'), '\\N')`).join(', ')}) AS line FROM close_event`);
    return (text.rows as Array<{ line: string }>).map((row) => `${row.line}\n`);
  } finally {
    await client.end();
  }
}

/** One measure of the ceiling: `lines` sent with COPY into a new empty table of close_event's shape (its indexes too); rows/s. */
async function copyRate(url: string, lines: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS copy_ceiling');
    await client.query('CREATE TABLE copy_ceiling (LIKE close_event INCLUDING ALL)');
    const started = process.hrtime.bigint();
    await pipeline(Readable.from(lines, { objectMode: false }), client.query(copyFrom(`COPY copy_ceiling (${COPY_COLUMNS}) FROM STDIN`)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await client.query('DROP TABLE copy_ceiling');
    return lines.length / seconds;
  } finally {
    await client.end();
  }
}

/** The machine's CPU time counters (/proc/stat, Linux): all of it and the part the hypervisor gave to others (steal). */
function cpuCounters(): { total: number; steal: number } | null {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}

/** Runs `work` and answers its result with the share of the machine's CPU time stolen meanwhile (null where unknown). */
async function measuringSteal<T>(work: () => Promise<T>): Promise<{ result: T; steal: number | null }> {
  const before = cpuCounters();
  const result = await work();
  const after = cpuCounters();
  const steal = before && after && after.total > before.total ? (after.steal - before.steal) / (after.total - before.total) : null;
  return { result, steal };
}

/** How far apart the stolen shares of the two collectors and of what they are compared with may be before a ratio is called skewed. */
const STEAL_SKEW = 0.05;

const pct = (share: number | null): string => (share === null ? 'unknown' : `${(share * 100).toFixed(0)} %`);

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
    const sqlite = await measuringSteal(async () => inProcess((await database('sqlite')).url, TOTAL));
    log('run 2: one collector on PostgreSQL');
    const one = await database('postgres');
    const pgOne = await measuringSteal(() => inProcess(one.url, TOTAL));
    const lines = await exportRows(one.url);
    const copies: number[] = [];
    const ceiling = async (when: string): Promise<number | null> => {
      const { steal } = await measuringSteal(async () => {
        for (let run = 0; run < CEILING_RUNS / 2; run += 1) {
          const rate = await copyRate(one.url, lines);
          copies.push(rate);
          log(`  COPY ${copies.length} of ${CEILING_RUNS} (${when}): ${fmt(rate)} rows/s`);
        }
      });
      return steal;
    };
    log(`run 3: the same rows with COPY into an empty table (the ceiling), ${CEILING_RUNS / 2} times before run 4 and ${CEILING_RUNS / 2} times after it`);
    const stealBefore = await ceiling('before run 4');
    log('run 4: two collector processes on one PostgreSQL database, half the load each');
    const two = await database('postgres');
    const collectors = [await collectorProcess(two.url), await collectorProcess(two.url)];
    const half = Math.floor(TOTAL / BATCH / 2) * BATCH;
    const started = Date.now();
    const pgTwo = await measuringSteal(() => Promise.all([httpPhase(collectors[0]!.url, half, 0), httpPhase(collectors[1]!.url, TOTAL - half, half / BATCH)]));
    const pgTwoRate = (TOTAL * 1000) / (Date.now() - started);
    const phases = pgTwo.result;
    for (const c of collectors) c.child.kill('SIGTERM');
    await Promise.all(collectors.map((c) => (c.child.exitCode === null ? once(c.child, 'exit') : null)));
    const stealAfter = await ceiling('after run 4');
    const sorted = [...copies].sort((a, b) => a - b);
    // The median of an even count: the mean of the middle two.
    const copyMedian = ((sorted[CEILING_RUNS / 2 - 1] as number) + (sorted[CEILING_RUNS / 2] as number)) / 2;
    const stored = [await count(one.url), await count(two.url)];

    log('');
    log(`events stored (PG 1 / PG 2)         ${fmt(stored[0]!.n)} / ${fmt(stored[1]!.n)} (rollups count ${fmt(stored[0]!.rolled)} / ${fmt(stored[1]!.rolled)})`);
    log(`SQLite, one collector              ${fmt(sqlite.result.eventsPerSecond)} events/s acknowledged (p99 ${sqlite.result.p99.toFixed(1)} ms a batch; CPU stolen ${pct(sqlite.steal)})`);
    log(`PostgreSQL, one collector          ${fmt(pgOne.result.eventsPerSecond)} events/s acknowledged (p99 ${pgOne.result.p99.toFixed(1)} ms a batch; CPU stolen ${pct(pgOne.steal)})`);
    log(`PostgreSQL, two collectors         ${fmt(pgTwoRate)} events/s acknowledged (p99 ${Math.max(...phases.map((p) => p.p99)).toFixed(1)} ms a batch; CPU stolen ${pct(pgTwo.steal)})`);
    log(`load generator CPU while sending   ${phases.map((p) => `${p.loadCpuPerEvent.toFixed(1)} µs`).join(' / ')} an event (two collectors' loads)`);
    log(`PostgreSQL raw COPY (ceiling)      ${fmt(copyMedian)} rows/s, the median of ${copies.map(fmt).join(', ')} (${fmt(lines.length)} rows each; CPU stolen ${pct(stealBefore)} before run 4, ${pct(stealAfter)} after)`);
    log(`ratio two PG collectors / SQLite   ${(pgTwoRate / sqlite.result.eventsPerSecond).toFixed(2)}x (goal >= 1.0x)`);
    log(`ratio two PG collectors / COPY     ${((pgTwoRate / copyMedian) * 100).toFixed(1)} % (goal >= 50 %; ${copies.map((c) => `${((pgTwoRate / c) * 100).toFixed(1)} %`).join(', ')} of each)`);
    log(`ratio one PG collector / COPY      ${((pgOne.result.eventsPerSecond / copyMedian) * 100).toFixed(1)} %`);
    const ceilingSteal = stealBefore !== null && stealAfter !== null ? (stealBefore + stealAfter) / 2 : null;
    for (const [what, steal] of [['the ceiling', ceilingSteal], ['SQLite', sqlite.steal]] as const) {
      if (pgTwo.steal !== null && steal !== null && Math.abs(pgTwo.steal - steal) > STEAL_SKEW) {
        log(`note: the host stole ${pct(pgTwo.steal)} of the CPU time during the two collectors and ${pct(steal)} during ${what}, so the ratio to ${what === 'SQLite' ? 'SQLite' : 'COPY'} is skewed; run the benchmark again`);
      }
    }
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

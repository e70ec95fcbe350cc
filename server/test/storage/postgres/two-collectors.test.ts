import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import WebSocket, { WebSocketServer } from 'ws';
import { instrument, type Instrumentation } from '@closewatch/sdk';
import { REPO_ROOT } from '../../../src/storage/database-url.js';
import { committedPostgresMigrations } from '../../../src/storage/postgres/migrations.js';
import { TEST_KEY, TEST_READ_TOKEN } from '../../helpers/test-app.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../../helpers/test-database.js';
import { waitFor } from '../../helpers/wait-for.js';

// Two real collector processes on one PostgreSQL database, each fed by an SDK-instrumented
// ws server with real churn; the one that evaluates alerts is killed with SIGKILL and
// restarted mid-load.

const skip = TEST_ENGINE !== 'postgres' && 'PostgreSQL only (npm run test:postgres)';
const SERVER_DIR = join(REPO_ROOT, 'server');
const CODES = [1000, 1001, 1011, 1013, 4001];

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

interface Collector {
  name: string;
  port: number;
  url: string;
  process: ChildProcess | null;
  log: string;
}

async function startCollector(c: Collector, databaseUrl: string): Promise<void> {
  const child = spawn(process.execPath, ['--conditions=closewatch-source', '--import', 'tsx', 'src/server.ts'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      PORT: String(c.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DASHBOARD_DIR: '',
      CLOSEWATCH_INGEST_KEY: TEST_KEY,
      CLOSEWATCH_READ_TOKEN: TEST_READ_TOKEN,
      CLOSEWATCH_ADMIN_PASSWORD: 'two-collectors-password',
      ALERT_EVAL_INTERVAL_MS: '500',
      LIVE_TICK_MS: '200',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  c.process = child;
  child.stdout?.on('data', (d: Buffer) => (c.log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (c.log += d.toString()));
  // A loaded machine takes its time to start a collector from its sources (tsx compiles them).
  // A collector that exited will never be ready: say so at once, with what it printed.
  const ready = async (): Promise<boolean> => {
    if (child.exitCode !== null) throw new Error(`${c.name} exited with code ${child.exitCode} before it was ready`);
    return (await fetch(`${c.url}/readyz`).catch(() => null))?.status === 200;
  };
  await waitFor(`${c.name} to be ready`, ready, 180_000).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; it printed:\n${c.log}`);
  });
}

function kill(c: Collector): Promise<void> {
  const child = c.process;
  c.process = null;
  if (child === null || child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

async function isLeader(c: Collector): Promise<boolean> {
  const res = await fetch(`${c.url}/readyz`).catch(() => null);
  return res?.status === 200 && ((await res.json()) as { alertLeader: boolean }).alertLeader;
}

async function total(c: Collector, from: number): Promise<number> {
  const res = await fetch(`${c.url}/api/v1/stats/summary?from=${from}&to=${Date.now() + 60_000}`, { headers: { authorization: `Bearer ${TEST_READ_TOKEN}` } });
  return ((await res.json()) as { total: number }).total;
}

describe('two collectors on one PostgreSQL, one killed with SIGKILL under load', { skip, timeout: 600_000 }, () => {
  let db: TestDatabase;
  const collectors: Collector[] = [];
  const servers: WebSocketServer[] = [];
  const sdks: Instrumentation[] = [];
  let inspector: pg.Client;

  before(async () => {
    // An empty database: both collectors start at once, and the migrations are applied once.
    db = await createTestDatabase('postgres', { migrated: false });
    for (const name of ['A', 'B']) {
      const port = await freePort();
      collectors.push({ name, port, url: `http://127.0.0.1:${port}`, process: null, log: '' });
    }
    await Promise.all(collectors.map((c) => startCollector(c, db.url)));
    inspector = new pg.Client({ connectionString: db.url });
    await inspector.connect();
    const migrations = await inspector.query('SELECT migration_name FROM "_prisma_migrations" ORDER BY 1');
    assert.deepEqual(migrations.rows.map((r: { migration_name: string }) => r.migration_name), committedPostgresMigrations(), 'each migration applied once');
  });
  after(async () => {
    for (const s of sdks) await s.close(1000);
    for (const s of servers) await new Promise((r) => s.close(r));
    for (const c of collectors) await kill(c);
    await inspector?.end();
    await db?.cleanup();
  });

  it('stores every close exactly once, moves the alert evaluator, and feeds each live tail from both', async () => {
    const startedAt = Date.now() - 1000;
    await waitFor('one collector to lead', async () => (await isLeader(collectors[0] as Collector)) !== (await isLeader(collectors[1] as Collector)), 10_000);
    const leaderIndex = (await isLeader(collectors[0] as Collector)) ? 0 : 1;
    const leader = collectors[leaderIndex] as Collector;
    const survivor = collectors[1 - leaderIndex] as Collector;

    // The survivor's live feed must show closes the leader ingests.
    const live = new WebSocket(`${survivor.url.replace('http', 'ws')}/api/v1/live`, { headers: { authorization: `Bearer ${TEST_READ_TOKEN}` } });
    let liveTotal = 0;
    const liveServices = new Set<string>();
    live.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString()) as { type: string; total?: number; byService?: Array<{ service: string }> };
      if (m.type !== 'tick') return;
      liveTotal += m.total ?? 0;
      for (const s of m.byService ?? []) liveServices.add(s.service);
    });
    await new Promise((resolve, reject) => live.once('open', resolve).once('error', reject));

    // One instrumented ws server per collector, each with its own service name.
    const closed = new Map<string, number>();
    const ports: number[] = [];
    for (const c of collectors) {
      const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
      await new Promise((r) => wss.once('listening', r));
      servers.push(wss);
      ports.push((wss.address() as AddressInfo).port);
      const service = `svc-${c.name}`;
      sdks.push(instrument(wss, { collectorUrl: c.url, apiKey: TEST_KEY, service, flushIntervalMs: 100, batchSize: 50, retryBaseDelayMs: 100, retryMaxDelayMs: 500, maxQueue: 100_000, flushOnExit: false }));
      let n = 0;
      wss.on('connection', (socket) => {
        n += 1;
        const code = CODES[n % CODES.length] as number;
        socket.on('close', () => closed.set(service, (closed.get(service) ?? 0) + 1));
        setTimeout(() => socket.close(code, `bye ${n % 3}`), 5 + (n % 20));
      });
    }

    // Real churn for a few seconds: clients connect, the servers close them.
    let running = true;
    const churn = async (port: number): Promise<void> => {
      while (running) {
        await Promise.all(
          Array.from({ length: 10 }, () => new Promise<void>((resolve) => {
            const ws = new WebSocket(`ws://127.0.0.1:${port}`);
            ws.on('close', () => resolve());
            ws.on('error', () => resolve());
          })),
        );
      }
    };
    const load = Promise.all(ports.map(churn));

    // The leader dies mid-load; the survivor takes over evaluation; the leader comes back.
    await new Promise((r) => setTimeout(r, 800 + Math.floor(Math.random() * 1200)));
    await kill(leader);
    await waitFor('the survivor to lead', () => isLeader(survivor), 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    await startCollector(leader, db.url);
    await new Promise((r) => setTimeout(r, 1500));
    running = false;
    await load;
    await new Promise((r) => setTimeout(r, 200));
    for (const s of sdks) await s.flush(30_000);

    const sent = [...closed.values()].reduce((a, b) => a + b, 0);
    assert.ok(sent > 100, `real load: ${sent} closes`);
    const rows = await inspector.query("SELECT count(*)::int AS n, count(DISTINCT (key_id, event_id))::int AS d FROM close_event WHERE service LIKE 'svc-%'");
    assert.deepEqual(rows.rows[0], { n: sent, d: sent }, 'every close stored, each once');
    for (const [service, n] of closed) {
      const r = await inspector.query('SELECT count(*)::int AS n FROM close_event WHERE service = $1', [service]);
      assert.equal((r.rows[0] as { n: number }).n, n, service);
    }
    assert.equal(await total(leader, startedAt), sent, 'the restarted collector shows every close');
    assert.equal(await total(survivor, startedAt), sent, 'the survivor shows every close');
    assert.equal(await isLeader(survivor), true, 'the survivor keeps leading after the restart');
    assert.equal(await isLeader(leader), false, 'the restarted collector does not lead');

    await waitFor(`the survivor's live feed to count every close (${liveTotal} of ${sent})`, () => liveTotal >= sent, 10_000);
    assert.equal(liveTotal, sent, 'each close once on the live feed');
    assert.ok(liveServices.has(`svc-${leader.name}`), 'closes ingested by the other collector reach this live feed');
    live.close();
  });
});

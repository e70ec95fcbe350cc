import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const E2E_KEY = 'cw_e2e_key_0123456789abcdef';
/** The admin password the browser tests sign in with (CLOSEWATCH_ADMIN_PASSWORD). */
export const E2E_PASSWORD = 'e2e-admin-password-0123';

export interface Collector {
  url: string;
  key: string;
  password: string;
  databaseUrl: string;
  /** Stops the process and starts it again on the same port and database (sessions live there). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole environment of a process the tests start: nothing is inherited from the
 * shell that runs the tests (a `PORT`, `LIVE_TICK_MS`, `DATABASE_URL` or `NODE_OPTIONS`
 * there must not change what the tests see). `PATH` stays, with this Node.js first:
 * the collector runs Prisma's CLI, a `#!/usr/bin/env node` script.
 */
export function childEnv(vars: Record<string, string>): Record<string, string> {
  return { PATH: [dirname(process.execPath), process.env.PATH].filter((p) => p !== undefined && p !== '').join(delimiter), ...vars };
}

/** How long the collector may take to stop; its graceful shutdown waits up to 10 s. */
const STOP_DEADLINE_MS = 15_000;

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((r) => {
    timer = setTimeout(() => r('late'), STOP_DEADLINE_MS);
  });
  const outcome = await Promise.race([exited.then(() => 'exited' as const), deadline]);
  clearTimeout(timer);
  if (outcome === 'late') {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`the collector did not stop within ${STOP_DEADLINE_MS / 1000} s of SIGTERM and was killed`);
  }
}

/** Starts the collector process and resolves with its URL once it listens. */
async function spawnCollector(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child: ChildProcess = spawn(process.execPath, ['--conditions=closewatch-source', '--import', 'tsx', join(REPO_ROOT, 'server/src/server.ts')], {
    cwd: REPO_ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const started = new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start within 120 s (a loaded machine):\n${output}`)), 120_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /collector and dashboard on (http:\/\/[^/\s]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}:\n${output}`));
    });
  });
  try {
    return { child, url: await started };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/**
 * Starts the real collector the way `npm start` does (migrations, built dashboard,
 * sign-in with CLOSEWATCH_ADMIN_PASSWORD) on a fresh database and a free port, and
 * waits until it listens. `env` adds or overrides settings (LOGIN_RATE_LIMIT...).
 */
export async function startCollector(env: Record<string, string> = {}): Promise<Collector> {
  const dir = mkdtempSync(join(tmpdir(), 'closewatch-e2e-'));
  const databaseUrl = `file:${join(dir, 'closewatch.db')}`;
  const settings: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CLOSEWATCH_INGEST_KEY: E2E_KEY,
    CLOSEWATCH_ADMIN_PASSWORD: E2E_PASSWORD,
    // Every test signs in; the default 10 a minute is for password guessers, not test files.
    LOGIN_RATE_LIMIT: '1000',
    DASHBOARD_DIR: join(REPO_ROOT, 'web/dist'),
    LIVE_TICK_MS: '1000',
    ...env,
  };
  let running: { child: ChildProcess; url: string };
  try {
    running = await spawnCollector(settings);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = running.url;
  return {
    url,
    key: E2E_KEY,
    password: E2E_PASSWORD,
    databaseUrl,
    restart: async () => {
      await stopChild(running.child);
      running = await spawnCollector({ ...settings, PORT: new URL(url).port });
    },
    stop: async () => {
      try {
        await stopChild(running.child);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface E2eEvent {
  id?: string;
  ts?: number;
  code: number | null;
  reason?: string;
  wasClean?: boolean;
  initiator?: 'server' | 'client' | 'unknown';
  service?: string;
  instance?: string;
  route?: string;
  durationMs?: number;
  labels?: Record<string, string>;
  /** Who the client is, across connections and instances (the server SDK's `clientKey`). */
  clientKey?: string;
}

let counter = 0;

/** The collector's answer to an ingest request. */
export interface IngestReport {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; field: string; message: string }>;
}

/** Sends events through the real ingest API; resolves with the collector's report. */
export async function sendEvents(collector: Collector, events: E2eEvent[]): Promise<IngestReport> {
  const body = {
    events: events.map((e) => ({
      id: e.id ?? `e2e-${Date.now()}-${counter++}`,
      ts: e.ts ?? Date.now() - 5_000,
      reason: '',
      wasClean: e.code !== 1006,
      initiator: 'server',
      service: 'chat',
      instance: 'chat-1',
      route: '/ws',
      durationMs: 30_000,
      ...e,
    })),
  };
  const res = await fetch(`${collector.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as IngestReport;
}

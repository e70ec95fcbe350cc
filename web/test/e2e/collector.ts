import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const E2E_KEY = 'cw_e2e_key_0123456789abcdef';

export interface Collector {
  url: string;
  key: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the real collector the way `npm start` does (migrations, built dashboard)
 * on a fresh database and a free port, and waits until it listens.
 */
export async function startCollector(): Promise<Collector> {
  const dir = mkdtempSync(join(tmpdir(), 'closewatch-e2e-'));
  const databaseUrl = `file:${join(dir, 'closewatch.db')}`;
  const child: ChildProcess = spawn(process.execPath, ['--conditions=closewatch-source', '--import', 'tsx', join(REPO_ROOT, 'server/src/server.ts')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CLOSEWATCH_INGEST_KEY: E2E_KEY,
      DASHBOARD_DIR: join(REPO_ROOT, 'web/dist'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start within 60 s:\n${output}`)), 60_000);
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
  return {
    url,
    key: E2E_KEY,
    databaseUrl,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
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
}

let counter = 0;

/** Sends events through the real ingest API; resolves with the collector's report. */
export async function sendEvents(collector: Collector, events: E2eEvent[]): Promise<{ accepted: number }> {
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
  });
  if (!res.ok) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { accepted: number };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TEST_KEY } from './test-app.js';

const SERVER_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** A port free right now on loopback (the collector is restarted on it, so it is chosen once). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface CollectorProcess {
  url: string;
  child: ChildProcess;
  /** Output so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends `signal` and resolves once the process has exited. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The real collector as its own process (`npm start`'s command), on `port` and the
 * SQLite file at `databasePath`, with TEST_KEY as its ingest key. Resolves once it listens.
 */
export async function startCollectorProcess(databasePath: string, port: number, env: Record<string, string> = {}): Promise<CollectorProcess> {
  const child = spawn(process.execPath, ['--conditions=closewatch-source', '--import', 'tsx', 'src/server.ts'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${databasePath}`,
      CLOSEWATCH_INGEST_KEY: TEST_KEY,
      CLOSEWATCH_ADMIN_PASSWORD: 'crash-test-password',
      LOG_LEVEL: 'warn',
      DASHBOARD_DIR: '',
      ALERT_EVAL_INTERVAL_MS: '0',
      PRUNE_INTERVAL_MINUTES: '0',
      // Many SDK requests from one address: the per-key limit must not be what is tested.
      INGEST_RATE_LIMIT: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    // Generous: a start takes seconds, but this machine is shared and may be very busy.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the collector did not start within 180 s:\n${output}`));
    }, 180_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('closewatch: collector and dashboard on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the collector exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    stop: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

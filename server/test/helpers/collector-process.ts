import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { REPO_ROOT } from '../../src/storage/database-url.js';

/** The collector from its sources, the way the tests run everything else. */
export const SOURCE_COMMAND: readonly string[] = [process.execPath, '--conditions=closewatch-source', '--import', 'tsx', join(REPO_ROOT, 'server/src/server.ts')];

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CollectorProcess {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<ProcessExit>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit; SIGKILL after `deadlineMs` (an error). */
  stop(signal?: NodeJS.Signals, deadlineMs?: number): Promise<ProcessExit>;
}

export interface CollectorProcessOptions {
  /** The command line; the first element is the program. Default: the sources through tsx. */
  command?: readonly string[];
  cwd?: string;
  /** Settings; nothing else is inherited from the shell that runs the tests (PORT defaults to 0). */
  env: Record<string, string>;
}

/**
 * The whole environment of a child: `PATH` (with this Node.js first: the collector runs
 * Prisma's CLI, a `#!/usr/bin/env node` script) and `vars`, nothing else from the shell.
 */
export function childEnv(vars: Record<string, string>): Record<string, string> {
  return { PATH: [dirname(process.execPath), process.env.PATH].filter((p) => p !== undefined && p !== '').join(delimiter), ...vars };
}

/** Starts a collector process and resolves once it listens (it prints its address). */
export async function startCollectorProcess(options: CollectorProcessOptions): Promise<CollectorProcess> {
  const [program, ...args] = options.command ?? SOURCE_COMMAND;
  if (program === undefined) throw new TypeError('command must name a program');
  const child = spawn(program, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: childEnv({ PORT: '0', HOST: '127.0.0.1', ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the collector did not listen within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /collector and dashboard on (http:\/\/[^/\s]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve((match[1] as string).replace('0.0.0.0', '127.0.0.1'));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the collector exited (${code ?? signal}) before it listened:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', deadlineMs = 15_000): Promise<ProcessExit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    const outcome = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (outcome !== 'late') return outcome;
    child.kill('SIGKILL');
    await exited;
    throw new Error(`the collector did not exit within ${deadlineMs} ms of ${signal} and was killed:\n${output}`);
  };
  return { url, child, output: () => output, exited, stop };
}

/** Posts one batch; resolves with the status (a refused or reset connection is `0`). */
export async function postEvents(url: string, key: string, events: readonly Record<string, unknown>[]): Promise<number> {
  try {
    const response = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** Every stored event id, read through `GET /api/v1/events` page by page over `[from, to)`. */
export async function storedEventIds(url: string, readToken: string, from: number, to: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ from: String(from), to: String(to), limit: '500', ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${url}/api/v1/events?${query}`, { headers: { authorization: `Bearer ${readToken}` } });
    if (response.status !== 200) throw new Error(`GET /api/v1/events answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { events: Array<{ id: string }>; nextCursor: string | null };
    ids.push(...page.events.map((e) => e.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return ids;
}

/**
 * `npm run demo`: a living dashboard in the first minute. Starts the collector unless
 * one answers already, then a fleet of real SDK-instrumented ws servers and clients
 * that close connections in a realistic mix, with rolling restarts and spikes.
 * Everything goes through real sockets and the ingest API; nothing touches the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFleet } from './fleet.js';

// `npm run demo` runs the build; the tests run the sources through tsx. The collector
// it starts runs the same way.
const FROM_SOURCE = extname(fileURLToPath(import.meta.url)) === '.ts';

const COLLECTOR_URL = process.env.CLOSEWATCH_URL ?? `http://127.0.0.1:${process.env.PORT ?? '8080'}`;
const say = (line: string): void => {
  process.stdout.write(`demo: ${line}\n`);
};

async function ready(url: string): Promise<boolean> {
  try {
    return (await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

async function startCollector(apiKey: string): Promise<ChildProcess> {
  say(`no collector answers at ${COLLECTOR_URL}; starting one ...`);
  const server = fileURLToPath(new URL(`../server${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url));
  const child = spawn(process.execPath, [...(FROM_SOURCE ? ['--conditions=closewatch-source', '--import', 'tsx'] : []), server], {
    env: { ...process.env, CLOSEWATCH_INGEST_KEY: apiKey, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
    // Its own process group: Ctrl-C stops the fleet first, which then delivers its last
    // events to a collector that is still up, and only then stops the collector.
    detached: true,
  });
  const started = Date.now();
  while (!(await ready(COLLECTOR_URL))) {
    if (child.exitCode !== null) throw new Error(`the collector exited with ${child.exitCode}; see its output above`);
    if (Date.now() - started > 60_000) throw new Error('the collector did not become ready within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  say(`collector ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return child;
}

async function main(): Promise<void> {
  // An empty value is unset, as compose passes an unset variable.
  let apiKey = process.env.CLOSEWATCH_INGEST_KEY || undefined;
  let collector: ChildProcess | null = null;
  if (await ready(COLLECTOR_URL)) {
    if (apiKey === undefined) {
      throw new Error(
        `a collector already runs at ${COLLECTOR_URL}; give the demo one of its keys: CLOSEWATCH_INGEST_KEY=<key> npm run demo (create one with npm run keys -- create --name demo)`,
      );
    }
    say(`using the collector at ${COLLECTOR_URL}`);
  } else {
    apiKey ??= `cw_demo_${randomBytes(16).toString('hex')}`;
    collector = await startCollector(apiKey);
  }
  let delivered = 0;
  const fleet = await startFleet({
    collectorUrl: COLLECTOR_URL,
    apiKey,
    spikeAtStart: process.env.DEMO_SPIKE_AT_START === '1',
    log: say,
    onError: (error) => say(`sdk: ${error.message}`),
  });
  say(`open ${COLLECTOR_URL}/ to watch; a 1011/1013 spike comes every 4 minutes; Ctrl-C stops`);
  say(
    'sign in with the admin password the collector printed at its first start (CLOSEWATCH_ADMIN_PASSWORD if you set one; ' +
      '`npm run keys -- reset-admin-password` prints a new one)',
  );
  const progress = setInterval(() => {
    const total = [...fleet.closes.values()].reduce((a, b) => a + b, 0);
    if (total !== delivered) say(`${total} connections closed so far`);
    delivered = total;
  }, 10_000);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    say('stopping the fleet and delivering the last events ...');
    await fleet.stop();
    const total = [...fleet.closes.values()].reduce((a, b) => a + b, 0);
    say(`${total} connections closed and reported`);
    if (collector) {
      say('stopping the collector');
      collector.kill('SIGTERM');
      await new Promise((resolve) => collector?.once('exit', resolve));
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

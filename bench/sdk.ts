/**
 * SDK overhead: connect/close churn against a `ws` server, with and without
 * `@closewatch/sdk` instrumentation, in one run.
 *
 *   npm run bench:sdk            (env: BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_CONCURRENCY)
 *
 * - This process runs only the ws server and the SDK. The churn client and the HTTP
 *   sink that answers 200 like the collector are child processes, so this process's
 *   CPU time is the server's own, and neither steals its event loop.
 * - Rounds alternate plain / instrumented in ABBA order after warm-up, so drift (CPU
 *   frequency, GC, other load on the machine) hits both sides alike; overheads are
 *   medians of the per-pair ratios.
 * - Two figures: connections per second (wall clock, what the goal is stated in), and
 *   server CPU time per connection (process.cpuUsage), which other load on the
 *   machine disturbs far less.
 * - The SDK is imported by package name: its sources under the `closewatch-source`
 *   condition the npm script sets, its built dist/ otherwise.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';

type Role = 'main' | 'sink' | 'client';
interface ChurnRequest {
  port: number;
  connections: number;
  concurrency: number;
}
interface ChurnResult {
  elapsedMs: number;
  completed: number;
  failed: number;
}

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 32);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 800);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 50);
const WARMUP_ROUNDS = 2;

// ---------------------------------------------------------------- sink (child process)
async function runSink(): Promise<void> {
  let events = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: unknown[] };
      events += body.events.length;
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: body.events.length, duplicates: 0, rejected: [] }));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.on('message', () => process.send?.({ events, requests }));
  process.send?.({ port: (server.address() as AddressInfo).port });
}

// ---------------------------------------------------------------- churn client (child process)
function oneConnection(url: string, serverCloses: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.on('error', () => resolve(false));
    socket.on('open', () => socket.send(serverCloses ? 'close-me' : 'hello'));
    socket.on('message', () => {
      if (!serverCloses) socket.close(1000, 'done');
    });
    socket.on('close', () => resolve(true));
  });
}

async function churn({ port, connections, concurrency }: ChurnRequest): Promise<ChurnResult> {
  let started = 0;
  let completed = 0;
  let failed = 0;
  const start = performance.now();
  const lane = async (): Promise<void> => {
    while (started < connections) {
      const n = started++;
      // Half the connections are closed by the client, half by the server.
      if (await oneConnection(`ws://127.0.0.1:${port}/bench/${n % 8}?session=${n}`, n % 2 === 1)) completed++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { elapsedMs: performance.now() - start, completed, failed };
}

async function runClient(): Promise<void> {
  process.on('message', (request: ChurnRequest) => {
    void churn(request).then((result) => process.send?.(result));
  });
  process.send?.('ready');
}

// ---------------------------------------------------------------- main
function ask<T>(child: ChildProcess, message: object | string): Promise<T> {
  const answer = once(child, 'message') as Promise<[T]>;
  child.send(message);
  return answer.then(([value]) => value);
}

function child(role: Role): ChildProcess {
  // Same loader flags as this process (tsx, conditions), another role.
  return fork(fileURLToPath(import.meta.url), [role], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Waits (without polling, which would burn CPU) until every server socket closed. */
async function settled(wss: WebSocketServer): Promise<void> {
  for (const socket of wss.clients) {
    if (socket.readyState !== WebSocket.CLOSED) await new Promise((resolve) => socket.once('close', resolve));
  }
}

async function main(): Promise<void> {
  const { createClient } = await import('@closewatch/sdk');
  const sink = child('sink');
  const [{ port: sinkPort }] = (await once(sink, 'message')) as [{ port: number }];
  const client = child('client');
  await once(client, 'message');

  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(wss, 'listening');
  wss.on('connection', (socket) => {
    socket.on('error', () => {});
    socket.on('message', (data) => {
      if (String(data) === 'close-me') socket.close(4000, 'requested');
      else socket.send(data);
    });
  });
  const port = (wss.address() as AddressInfo).port;
  const closewatch = createClient({
    apiKey: 'cw_bench',
    collectorUrl: `http://127.0.0.1:${sinkPort}`,
    service: 'bench',
    labels: { bench: 'sdk' },
    onError: (error) => console.error(`  sdk error: ${error.message}`),
  });

  console.log(`closewatch SDK overhead: ${ROUNDS} rounds x ${CONNECTIONS} connections, concurrency ${CONCURRENCY}, ${WARMUP_ROUNDS} warm-up rounds per side`);
  const pattern = ['plain', 'instrumented', 'instrumented', 'plain'] as const;
  const results = { plain: [] as number[], instrumented: [] as number[] };
  const cpu = { plain: [] as number[], instrumented: [] as number[] };
  let instrumentedConnections = 0;
  const total = ROUNDS + WARMUP_ROUNDS * 2;
  for (let round = 0; round < total; round++) {
    const mode = pattern[round % 4] as 'plain' | 'instrumented';
    const warmup = round < WARMUP_ROUNDS * 2;
    const remove = mode === 'instrumented' ? closewatch.instrument(wss) : undefined;
    const cpuBefore = process.cpuUsage();
    const result = await ask<ChurnResult>(client, { port, connections: CONNECTIONS, concurrency: CONCURRENCY } satisfies ChurnRequest);
    await settled(wss);
    // The round's last partial batch: off the client's clock, but on the server's CPU bill.
    await closewatch.flush();
    const cpuUsed = process.cpuUsage(cpuBefore);
    remove?.();
    if (mode === 'instrumented') instrumentedConnections += result.completed;
    const rate = (result.completed / result.elapsedMs) * 1000;
    const usPerConnection = (cpuUsed.user + cpuUsed.system) / result.completed;
    const label = warmup ? 'warm-up' : `round ${round - WARMUP_ROUNDS * 2 + 1}/${ROUNDS}`;
    console.log(
      `  ${label.padEnd(12)} ${mode.padEnd(12)} ${result.completed} conns in ${result.elapsedMs.toFixed(0).padStart(5)} ms = ${rate.toFixed(0).padStart(5)} conn/s, server CPU ${usPerConnection.toFixed(0).padStart(4)} µs/conn${result.failed > 0 ? `, ${result.failed} failed` : ''}`,
    );
    if (warmup) continue;
    results[mode].push(rate);
    cpu[mode].push(usPerConnection);
  }

  const pairs = Math.min(results.plain.length, results.instrumented.length);
  const rateOverheads = Array.from({ length: pairs }, (_, i) => 1 - (results.instrumented[i] as number) / (results.plain[i] as number));
  const cpuOverheads = Array.from({ length: pairs }, (_, i) => (cpu.instrumented[i] as number) / (cpu.plain[i] as number) - 1);
  const sinkStats = await ask<{ events: number; requests: number }>(sink, 'stats');
  const stats = closewatch.stats();
  console.log('');
  console.log(`plain:        ${median(results.plain).toFixed(0)} conn/s (median), server CPU ${median(cpu.plain).toFixed(0)} µs/conn`);
  console.log(`instrumented: ${median(results.instrumented).toFixed(0)} conn/s (median), server CPU ${median(cpu.instrumented).toFixed(0)} µs/conn`);
  console.log(`overhead:     ${(median(rateOverheads) * 100).toFixed(1)}% fewer connections per second (median of ${pairs} paired rounds; goal < 5%)`);
  console.log(`              ${(median(cpuOverheads) * 100).toFixed(1)}% more server CPU time per connection`);
  console.log(
    `delivery:     ${sinkStats.events} events in ${sinkStats.requests} requests for ${instrumentedConnections} instrumented connections` +
      ` (dropped ${stats.dropped}, failed ${stats.failed})`,
  );
  if (sinkStats.events !== instrumentedConnections) {
    console.log('              MISMATCH: every instrumented connection should produce exactly one event');
    process.exitCode = 1;
  }
  await closewatch.close();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  sink.kill();
  client.kill();
}

const role = (process.argv[2] ?? 'main') as Role;
// A child must not outlive the bench, even when the bench crashes.
if (role !== 'main') process.on('disconnect', () => process.exit(0));
if (role === 'sink') await runSink();
else if (role === 'client') await runClient();
else await main();

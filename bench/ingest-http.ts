/** The HTTP load of bench:ingest (a separate process), shared by both engines' benchmarks. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
export const BATCH = Number(process.env.BENCH_BATCH ?? 500);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
export const KEY = 'cw_bench_key_0123456789abcdef';

import type { ReadReport } from './ingest-load.js';

export const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export const READ_TOKEN = 'cw_bench_read_token_0123456789';
/** The heaviest read of the API: 31 days, a label filter (raw events, every row's JSON). */
export const HEAVY_READ = (now: number): string => `/api/v1/stats/summary?from=${now - 31 * 86_400_000 + 60_000}&to=${now}&label=region:eu-west`;

export interface HttpPhase {
  eventsPerSecond: number;
  p50: number;
  p99: number;
  elapsedMs: number;
  /** The load generator's CPU time while it sent, in µs an acknowledged event. */
  loadCpuPerEvent: number;
  reads: ReadReport | null;
}

export async function httpPhase(url: string, events: number, firstBatch: number, readLoad?: { path: string; token: string }): Promise<HttpPhase> {
  const child = fork(fileURLToPath(new URL('./ingest-load.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    let lastPrint = 0;
    child.on('message', (msg: { type: string; acknowledged?: number; latencies?: number[]; elapsedMs?: number; cpuMicros?: number; message?: string; reads?: ReadReport | null }) => {
      if (msg.type === 'progress' && Date.now() - lastPrint > 1000) {
        lastPrint = Date.now();
        log(`  ... ${fmt(msg.acknowledged ?? 0)} / ${fmt(events)} events acknowledged`);
      } else if (msg.type === 'done') {
        const sorted = (msg.latencies ?? []).sort((a, b) => a - b);
        const acknowledged = sorted.length * BATCH;
        child.kill();
        resolve({
          eventsPerSecond: (acknowledged * 1000) / (msg.elapsedMs ?? 1),
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          elapsedMs: msg.elapsedMs ?? 0,
          loadCpuPerEvent: (msg.cpuMicros ?? 0) / Math.max(1, acknowledged),
          reads: msg.reads ?? null,
        });
      } else if (msg.type === 'error') {
        child.kill();
        reject(new Error(msg.message));
      }
    });
    child.on('exit', (code) => code !== 0 && code !== null && reject(new Error(`load generator exited ${code}`)));
    child.send({ url, key: KEY, totalEvents: events, batchSize: BATCH, connections: CONNECTIONS, runId: `r${Date.now()}`, firstBatch, readLoad });
  });
}


/** What both engines' query benchmarks share: the endpoints, the ranges and the timing. */
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Reads need a credential: the bench's own read token. */
export const READ_TOKEN = 'cw_bench_read_token_0123456789';

export interface Timing {
  p50: number;
  p95: number;
  n: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Times `fn` up to `maxSamples` times within `budgetMs`. A first run under a second is
 * a warm-up; a slower one is kept as the only sample if it used the budget up (the
 * raw 7-day GROUP BYs take seconds each).
 */
export async function measure(fn: () => unknown, maxSamples: number, budgetMs: number): Promise<Timing> {
  const began = performance.now();
  await fn();
  const first = performance.now() - began;
  const samples: number[] = first > 1000 ? [first] : [];
  while (samples.length < maxSamples && (samples.length === 0 || performance.now() - began < budgetMs)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), n: samples.length };
}

export function apiCall(app: FastifyInstance, url: string): () => Promise<void> {
  return async () => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${READ_TOKEN}` } });
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  };
}

export const ENDPOINTS: Array<[string, string]> = [
  ['summary', '/api/v1/stats/summary'],
  ['timeseries', '/api/v1/stats/timeseries'],
  ['reasons', '/api/v1/stats/reasons'],
  ['breakdown', '/api/v1/stats/breakdown'],
  ['lifetimes', '/api/v1/stats/lifetimes'],
  ['reconnects', '/api/v1/stats/reconnects'],
  ['events', '/api/v1/events'],
];
export const RANGES: Array<[string, number, number]> = [
  ['1 h', HOUR, 60_000],
  ['24 h', DAY, 15 * 60_000],
  ['7 d', 7 * DAY, HOUR],
];

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

/** A read the collector refused (a 503 READ_TIMEOUT past its read budget, say): a figure of its own, not a crash. */
export class RefusedRead extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    url: string,
  ) {
    super(`${url} answered ${status} ${code}`);
  }
}

export function apiCall(app: FastifyInstance, url: string): () => Promise<void> {
  return async () => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${READ_TOKEN}` } });
    if (res.statusCode === 200) return;
    let code = 'no error code';
    try {
      code = String((JSON.parse(res.body) as { error?: { code?: unknown } }).error?.code ?? code);
    } catch {
      // not JSON: keep the status alone
    }
    throw new RefusedRead(res.statusCode, code, url);
  };
}

const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

/**
 * One table row: the endpoint through the API next to the same question asked plainly
 * (`plainQuestion`). A read the API refuses is shown as refused (with its status and
 * code) and its plain question is not timed, so one slow endpoint does not end the run.
 */
export async function timeEndpoint(app: FastifyInstance, name: string, label: string, url: string, plainQuestion: () => unknown): Promise<string> {
  let api: Timing;
  try {
    api = await measure(apiCall(app, url), 40, 4_000);
  } catch (error) {
    if (!(error instanceof RefusedRead)) throw error;
    return `| ${name} | ${label} | refused: ${error.status} ${error.code} | | | | | |`;
  }
  const plain = await measure(plainQuestion, 10, 4_000);
  const ratio = plain.p50 / api.p50;
  return `| ${name} | ${label} | ${fmt(api.p50)} | ${fmt(api.p95)} | ${fmt(plain.p50)} | ${fmt(plain.p95)} | ${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}x | ${api.n}/${plain.n} |`;
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

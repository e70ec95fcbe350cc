/**
 * One POST of one batch to the collector, and what its answer means for the batch.
 * Only `fetch` is used (global in Node 18+ and browsers), so this file is shared by
 * both SDKs. It never throws: every failure is an outcome.
 */
import { describeThrown, type RejectedEvent } from '../errors.js';
import { startTimer, stopTimer } from '../timers.js';
import { parseRetryAfter } from './backoff.js';

/** The subset of a fetch `Response` the SDK reads. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The subset of `RequestInit` the SDK passes. */
export interface RequestInitLike {
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  body: string;
  keepalive?: boolean;
  signal?: AbortSignal;
}

/** A `fetch` implementation (the global one by default). */
export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>;

/** What an answer (or its absence) means for the batch. */
export type PostOutcome =
  | { kind: 'ok'; status: number; accepted: number; duplicates: number; rejected: RejectedEvent[] }
  /** Worth trying again: network error, timeout, 408, 429, 5xx. */
  | { kind: 'retry'; status: number | undefined; retryAfterMs: number | undefined; message: string; cause?: unknown }
  /** 413: the batch must shrink; the events themselves may be fine. */
  | { kind: 'too_large'; status: 413; message: string }
  /** Sending it again cannot help (401, 403, 400, other 4xx). */
  | { kind: 'fatal'; status: number; message: string; rejected: RejectedEvent[] };

/** One attempt: where, with which key, which body. */
export interface PostRequest {
  fetch: FetchLike;
  endpoint: string;
  apiKey: string;
  body: string;
  /** Ids of the events in the body, in order, to name rejected events. */
  ids: readonly string[];
  keepalive: boolean;
  timeoutMs: number;
  /** Default `'POST'` (a batch of events); the code-name registration PUTs. */
  method?: 'PUT';
}

function timeoutSignal(ms: number): { signal: AbortSignal | undefined; cancel: () => void } {
  if (typeof AbortController === 'undefined') return { signal: undefined, cancel: () => {} };
  const controller = new AbortController();
  // A timer of our own rather than AbortSignal.timeout(): it can be cancelled as soon
  // as the answer is in, and it is unref'd like every background timer of the SDK.
  const timer = startTimer(() => controller.abort(), ms);
  return { signal: controller.signal, cancel: () => stopTimer(timer) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function readRejected(body: Record<string, unknown> | undefined, ids: readonly string[]): RejectedEvent[] {
  const list = body?.['rejected'];
  if (!Array.isArray(list)) return [];
  const out: RejectedEvent[] = [];
  for (const entry of list) {
    const item = asRecord(entry);
    if (item === undefined) continue;
    const index = typeof item['index'] === 'number' ? item['index'] : -1;
    out.push({
      index,
      id: ids[index],
      field: typeof item['field'] === 'string' ? item['field'] : '',
      message: typeof item['message'] === 'string' ? item['message'] : '',
    });
  }
  return out;
}

/** The collector's `{ error: { code, message } }`, or the start of whatever came back. */
function errorMessage(status: number, body: Record<string, unknown> | undefined, text: string): string {
  const error = asRecord(body?.['error']);
  const message = typeof error?.['message'] === 'string' ? error['message'] : text.slice(0, 200).trim();
  const code = typeof error?.['code'] === 'string' ? `${error['code']}: ` : '';
  return `collector answered ${status}${message === '' ? '' : ` (${code}${message})`}`;
}

function count(body: Record<string, unknown> | undefined, key: string, fallback: number): number {
  const value = body?.[key];
  return typeof value === 'number' ? value : fallback;
}

/** Sends one batch once and classifies the outcome; never throws. */
export async function postBatch(request: PostRequest): Promise<PostOutcome> {
  const { signal, cancel } = timeoutSignal(request.timeoutMs);
  let response: ResponseLike;
  try {
    const init: RequestInitLike = {
      method: request.method ?? 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${request.apiKey}` },
      body: request.body,
    };
    if (request.keepalive) init.keepalive = true;
    if (signal !== undefined) init.signal = signal;
    // Called unbound: a browser's fetch throws "Illegal invocation" with a foreign `this`.
    const fetchFn = request.fetch;
    response = await fetchFn(request.endpoint, init);
  } catch (error) {
    cancel();
    const timedOut = signal?.aborted === true;
    return {
      kind: 'retry',
      status: undefined,
      retryAfterMs: undefined,
      message: timedOut
        ? `no answer from the collector within ${request.timeoutMs} ms`
        : `could not reach the collector (${describeThrown(error)})`,
      cause: error,
    };
  }
  let text = '';
  try {
    // Always read the body: an unread body keeps the pooled connection busy.
    text = await response.text();
  } catch {
    // The status alone decides what to do; a broken body only loses detail.
  } finally {
    cancel();
  }
  const { status } = response;
  const body = asRecord(parseJson(text));
  if (status >= 200 && status < 300) {
    return {
      kind: 'ok',
      status,
      accepted: count(body, 'accepted', request.ids.length),
      duplicates: count(body, 'duplicates', 0),
      rejected: readRejected(body, request.ids),
    };
  }
  if (status === 408 || status === 429 || status >= 500) {
    return {
      kind: 'retry',
      status,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
      message: errorMessage(status, body, text),
    };
  }
  if (status === 413) return { kind: 'too_large', status, message: errorMessage(status, body, text) };
  return { kind: 'fatal', status, message: errorMessage(status, body, text), rejected: readRejected(body, request.ids) };
}

/**
 * Options of the browser SDK, their defaults and validation (a `TypeError` naming the
 * option, thrown by `createClient()`, `observe()` or `createObservedWebSocket()`).
 */
import type { ErrorHandler } from '../errors.js';
import type { FetchLike } from '../delivery/post-batch.js';
import { EVENT_LIMITS } from '../event-limits.js';
import {
  checkOptionsObject,
  collectorEndpoint,
  functionOption,
  integerOption,
  labelsOption,
  rateOption,
  stringOption,
  type Labels,
} from '../validate.js';

/** What the SDK needs of a WebSocket: the DOM one, or anything API-compatible. */
export interface ObservableWebSocket {
  readonly url: string;
  readonly readyState: number;
  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close', listener: (event: Event) => void): void;
  removeEventListener(type: 'open' | 'message' | 'close', listener: (event: Event) => void): void;
}

/** Per-socket settings; `client.observe()` accepts overrides of these. */
export interface ObserveOptions {
  /** Service name on every event. Default: `'browser'`. */
  service?: string;
  /**
   * Route of a socket: a string, or a function of the socket. Default: the path of the
   * socket URL with ids replaced by `:id` (`wss://host/rooms/123?t=1` -> `/rooms/:id`),
   * what the Node SDK reports as the route too; `location.pathname` (ids replaced) when
   * the URL is not absolute.
   */
  route?: string | ((socket: ObservableWebSocket) => string);
  /**
   * Labels on every event: at most 16; keys of 1-64 characters of `A-Z a-z 0-9 _ . : -`,
   * string values of at most 256 characters. Default: `{}`.
   */
  labels?: Labels;
  /** Share of sockets recorded, 0 to 1, decided when observation starts. Default: `1`. */
  sampleRate?: number;
}

/** Options of `createClient()`, `observe()` and `createObservedWebSocket()`. */
export interface BrowserOptions extends ObserveOptions {
  /** A browser ingest key (kind `browser`, bound to allowed origins). Required. */
  apiKey: string;
  /** Base URL of the collector. Default: `location.origin` (or `'http://127.0.0.1:8080'` outside a page). */
  collectorUrl?: string;
  /** Instance name on every event. Default: `'browser'`. */
  instance?: string;
  /** Events per request, 1 to 1000 (requests also stay under 60 KB, for keepalive). Default: `20`. */
  batchSize?: number;
  /** Longest time an event waits before a (partial) batch is sent. Default: `5000` ms. */
  flushIntervalMs?: number;
  /** Events kept while the collector is unreachable; beyond it the oldest are dropped. Default: `500`. */
  maxQueue?: number;
  /** Time allowed for one request. Default: `10000` ms. */
  requestTimeoutMs?: number;
  /** First retry delay, doubling per failed attempt, with jitter. Default: `1000` ms. */
  retryBaseDelayMs?: number;
  /** Cap of the retry delay. Default: `30000` ms. */
  retryMaxDelayMs?: number;
  /** Receives every error after construction. Default: `console.warn` of the first error only. */
  onError?: ErrorHandler;
  /** `fetch` implementation. Default: the global `fetch`. */
  fetch?: FetchLike;
}

/** Per-socket settings after defaults and validation. */
export interface ResolvedObserve {
  service: string;
  instance: string;
  route: string | ((socket: ObservableWebSocket) => string) | undefined;
  labels: Readonly<Labels>;
  sampleRate: number;
}

/** Client options after defaults and validation. */
export interface ResolvedBrowserOptions {
  observe: ResolvedObserve;
  endpoint: string;
  apiKey: string;
  batchSize: number;
  flushIntervalMs: number;
  maxQueue: number;
  requestTimeoutMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  onError: ErrorHandler | undefined;
  fetch: FetchLike;
}

const KNOWN_OPTIONS = new Set([
  'apiKey', 'collectorUrl', 'service', 'instance', 'route', 'labels', 'sampleRate', 'batchSize',
  'flushIntervalMs', 'maxQueue', 'requestTimeoutMs', 'retryBaseDelayMs', 'retryMaxDelayMs', 'onError', 'fetch',
]);
const OBSERVE_OPTIONS = new Set(['service', 'route', 'labels', 'sampleRate']);

function rejectUnknown(options: Record<string, unknown>, known: Set<string>, where: string): void {
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`closewatch: unknown option "${key}" in ${where}`);
  }
}

function routeOption(value: unknown, fallback: ResolvedObserve['route']): ResolvedObserve['route'] {
  if (value === undefined) return fallback;
  if (typeof value === 'function') return value as (socket: ObservableWebSocket) => string;
  return stringOption(value, 'route', '/', EVENT_LIMITS.routeLength);
}

function defaultCollectorUrl(): string {
  const origin = typeof location === 'undefined' ? undefined : location.origin;
  return origin !== undefined && /^https?:/.test(origin) ? origin : 'http://127.0.0.1:8080';
}

function resolveObserveFields(raw: Record<string, unknown>, base: ResolvedObserve | undefined, instance: string): ResolvedObserve {
  return {
    service: stringOption(raw['service'], 'service', base?.service ?? 'browser', EVENT_LIMITS.serviceLength),
    instance,
    route: routeOption(raw['route'], base?.route),
    labels: raw['labels'] === undefined ? (base?.labels ?? Object.freeze({})) : labelsOption(raw['labels'], 'labels'),
    sampleRate: rateOption(raw['sampleRate'], 'sampleRate', base?.sampleRate ?? 1),
  };
}

/** Applies defaults and validates; throws `TypeError` naming the first invalid option. */
export function resolveBrowserOptions(options: unknown): ResolvedBrowserOptions {
  const raw = checkOptionsObject(options);
  rejectUnknown(raw, KNOWN_OPTIONS, 'options');
  if (raw['apiKey'] === undefined || raw['apiKey'] === '') {
    throw new TypeError('closewatch: option "apiKey" is required (a browser ingest key)');
  }
  const apiKey = stringOption(raw['apiKey'], 'apiKey', '', 512);
  if (/\s/.test(apiKey)) throw new TypeError('closewatch: option "apiKey" must not contain whitespace');
  const retryBaseDelayMs = integerOption(raw['retryBaseDelayMs'], 'retryBaseDelayMs', 1000, 1, 600_000);
  const customFetch = functionOption<FetchLike>(raw['fetch'], 'fetch');
  const globalFetch = typeof fetch === 'function' ? fetch : undefined;
  if (customFetch === undefined && globalFetch === undefined) {
    throw new TypeError('closewatch: no global fetch in this browser; pass the "fetch" option');
  }
  const instance = stringOption(raw['instance'], 'instance', 'browser', EVENT_LIMITS.instanceLength);
  return {
    observe: resolveObserveFields(raw, undefined, instance),
    endpoint: collectorEndpoint(raw['collectorUrl'], 'collectorUrl', defaultCollectorUrl()),
    apiKey,
    batchSize: integerOption(raw['batchSize'], 'batchSize', 20, 1, 1000),
    flushIntervalMs: integerOption(raw['flushIntervalMs'], 'flushIntervalMs', 5000, 1, 3_600_000),
    maxQueue: integerOption(raw['maxQueue'], 'maxQueue', 500, 1, 100_000),
    requestTimeoutMs: integerOption(raw['requestTimeoutMs'], 'requestTimeoutMs', 10_000, 1, 600_000),
    retryBaseDelayMs,
    retryMaxDelayMs: integerOption(raw['retryMaxDelayMs'], 'retryMaxDelayMs', Math.max(30_000, retryBaseDelayMs), retryBaseDelayMs, 3_600_000),
    onError: functionOption<ErrorHandler>(raw['onError'], 'onError'),
    fetch: customFetch ?? ((url, init) => (globalFetch as FetchLike)(url, init)),
  };
}

/** Overrides passed to `client.observe()`, over the client's settings. */
export function resolveObserveOverrides(overrides: unknown, base: ResolvedObserve): ResolvedObserve {
  if (overrides === undefined) return base;
  const raw = checkOptionsObject(overrides, 'overrides');
  rejectUnknown(raw, OBSERVE_OPTIONS, 'observe overrides');
  return resolveObserveFields(raw, base, base.instance);
}

/**
 * Options of the Node SDK: their defaults, and their validation. Invalid options throw
 * a `TypeError` naming the option when `createClient()`, `instrument()` or `track()`
 * receives them.
 */
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import { codesOption, type CodeDescriptions, type RegisteredCode } from './code-names.js';
import type { ErrorHandler } from './errors.js';
import { EVENT_LIMITS } from './event-limits.js';
import type { FetchLike } from './delivery/post-batch.js';
import { trustedProxiesOption, type TrustedProxies } from './trusted-proxies.js';
import {
  booleanOption,
  checkOptionsObject,
  collectorEndpoint,
  fail,
  functionOption,
  integerOption,
  labelsOption,
  rateOption,
  stringOption,
  type Labels,
} from './validate.js';

/** Default collector: a closewatch collector on the same host, default port. */
export const DEFAULT_COLLECTOR_URL = 'http://127.0.0.1:8080';
/** Environment variable read when the `apiKey` option is absent. */
export const API_KEY_ENV = 'CLOSEWATCH_INGEST_KEY';
/** Largest batch the collector accepts in one request (docs/api.md). */
export const MAX_BATCH_SIZE = 10_000;

/** Per-connection settings; `createClient().instrument()` and `.track()` accept overrides of these. */
export interface ConnectionOptions {
  /** Service name on every event. Default: `'default'`. */
  service?: string;
  /**
   * Route of a connection, from its upgrade request. Default: the request URL's path
   * without query string and fragment, ids in it replaced by `:id` (`/rooms/123?token=abc`
   * -> `/rooms/:id`; see sdk/README.md for what counts as an id), or `'/'` without a request.
   */
  route?: (request: IncomingMessage) => string;
  /**
   * Labels on every event: a map (at most 16 labels; keys of 1-64 characters of
   * `A-Z a-z 0-9 _ . : -`, string values of at most 256 characters; checked now), or a
   * function of the upgrade request returning one (checked per connection: invalid
   * entries are dropped, too long values cut, and `onError` told). Default: `{}`.
   */
  labels?: Labels | ((request: IncomingMessage) => Labels);
  /** Share of connections recorded, 0 to 1, decided when a connection opens. Default: `1`. */
  sampleRate?: number;
  /**
   * Attach a hash of the peer address (`remoteAddrHash`: sha256, first 16 hex chars).
   * `true` hashes `request.socket.remoteAddress`; a function can pick another source,
   * such as the first `X-Forwarded-For` hop behind a proxy. Default: `false`.
   */
  captureRemoteAddress?: boolean | ((request: IncomingMessage) => string | undefined);
  /** Salt mixed into the address hash; set a secret one to make hashes non-reversible. Default: `''`. */
  remoteAddressSalt?: string;
  /**
   * Who the client is across connections and instances (`clientKey` on every event), so
   * the collector can match a close to the same client's next connection and measure how
   * long it waited. Default: the first 16 hex characters of
   * `sha256(clientKeySalt + "\n" + address + "\n" + userAgent)`, from the client's
   * address (see `trustedProxies`) and its `User-Agent` header; never the raw address.
   * A function's return value is sent as it is (1-128 characters without control
   * characters, e.g. `ios:1234`, whose prefix the dashboard groups by); `undefined`
   * sends none. `false` sends none.
   */
  clientKey?: false | ((request: IncomingMessage) => string | undefined);
  /**
   * Salt of the default `clientKey` hash. Default: the ingest key (`apiKey`), so every
   * instance of a fleet sharing the key computes the same key for the same client, and
   * nobody without the ingest key can reverse the hash to an address.
   */
  clientKeySalt?: string;
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed for the default `clientKey`:
   * exact IPv4/IPv6 addresses and CIDR ranges (`['10.0.0.0/8', 'fd00::/8']`). When the
   * direct peer is one of them, the client's address is the right-most hop that is not.
   * Default: `[]` (the direct peer is the client; the header is ignored).
   */
  trustedProxies?: readonly string[];
}

/** Options of `instrument()`, `track()` and `createClient()`. */
export interface ClosewatchOptions extends ConnectionOptions {
  /**
   * Ingest key of the collector (sent as `Authorization: Bearer <key>`). Default: the
   * `CLOSEWATCH_INGEST_KEY` environment variable; one of the two is required.
   */
  apiKey?: string;
  /** Base URL of the collector; events go to `<collectorUrl>/api/v1/events`. Default: `'http://127.0.0.1:8080'`. */
  collectorUrl?: string;
  /** Instance name on every event. Default: `` `${os.hostname()}:${process.pid}` ``. */
  instance?: string;
  /**
   * Events per request, 1 to 10000 (requests also stay under 1 MiB); a full batch is
   * sent at once. Node's fetch costs a few milliseconds of CPU per request whatever its
   * size, so under heavy churn big batches keep the overhead per connection low; under
   * light load the flush interval sends them sooner. Default: `1000`.
   */
  batchSize?: number;
  /** Longest time an event waits in the queue before a (partial) batch is sent. Default: `5000` ms. */
  flushIntervalMs?: number;
  /** Events kept while the collector is unreachable; beyond it the oldest are dropped. Default: `10000`. */
  maxQueue?: number;
  /** Time allowed for one request. Default: `10000` ms. */
  requestTimeoutMs?: number;
  /** First retry delay; doubles per failed attempt, with jitter. Default: `1000` ms. */
  retryBaseDelayMs?: number;
  /** Cap of the retry delay (a collector's Retry-After is honoured even when longer). Default: `30000` ms. */
  retryMaxDelayMs?: number;
  /**
   * On SIGTERM and SIGINT, flush the queue (for up to 5 s) before the process goes on
   * exiting, and flush once more when the event loop empties ('beforeExit'). The signal
   * is re-raised afterwards when nothing else listens for it, so the default exit
   * behaviour is kept. Default: `false`.
   */
  flushOnExit?: boolean;
  /**
   * Tell the collector when each connection with a `clientKey` opens (`POST
   * /api/v1/opens`, batched and retried like the close events, in a queue of its own of
   * `maxQueue` notices), so a client that reconnected counts as back while its new
   * connection is still open: without it the collector learns of a reconnect only when
   * that connection closes, hours later for a long-lived one. A connection that closes
   * before its notice was sent sends none (its close event says when it opened).
   * Default: `true`.
   */
  reportOpens?: boolean;
  /**
   * Receives every error after construction (delivery failures, drops, hook errors).
   * Default: `console.warn` of the first error only.
   */
  onError?: ErrorHandler;
  /** `fetch` implementation, e.g. one bound to a proxy agent. Default: `globalThis.fetch`. */
  fetch?: FetchLike;
  /**
   * The application's own close codes (3000-4999) and their names, registered with the
   * collector at start so every chart, export and notification names them:
   * `{ 4001: { name: 'Room closed', retry: false } }` (fields: `name` 1-64 characters,
   * `meaning` one line, `category`, `retry`, `alertWorthy`; see CodeDescription). A name
   * set in the dashboard wins over this one. Failures go to `onError`. Default: `{}`.
   */
  codes?: CodeDescriptions;
}

/** Connection settings after defaults and validation. */
export interface ResolvedConnection {
  service: string;
  instance: string;
  route: ((request: IncomingMessage) => string) | undefined;
  labels: Readonly<Labels>;
  labelsFn: ((request: IncomingMessage) => Labels) | undefined;
  sampleRate: number;
  remoteAddress: false | ((request: IncomingMessage) => string | undefined);
  remoteAddressSalt: string;
  /** `'default'`: the salted hash of address and user agent. */
  clientKey: false | 'default' | ((request: IncomingMessage) => string | undefined);
  clientKeySalt: string;
  /** Undefined when no proxy is trusted. */
  trustedProxies: TrustedProxies | undefined;
}

/** Client options after defaults and validation. */
export interface ResolvedOptions {
  connection: ResolvedConnection;
  endpoint: string;
  apiKey: string;
  batchSize: number;
  flushIntervalMs: number;
  maxQueue: number;
  requestTimeoutMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  flushOnExit: boolean;
  reportOpens: boolean;
  onError: ErrorHandler | undefined;
  fetch: FetchLike;
  codes: readonly RegisteredCode[];
}

const KNOWN_OPTIONS = new Set([
  'apiKey', 'collectorUrl', 'service', 'instance', 'route', 'labels', 'sampleRate', 'captureRemoteAddress',
  'remoteAddressSalt', 'batchSize', 'flushIntervalMs', 'maxQueue', 'requestTimeoutMs', 'retryBaseDelayMs',
  'retryMaxDelayMs', 'flushOnExit', 'onError', 'fetch', 'clientKey', 'clientKeySalt', 'trustedProxies', 'codes',
  'reportOpens',
]);
const CONNECTION_OPTIONS = new Set([
  'service', 'route', 'labels', 'sampleRate', 'captureRemoteAddress', 'remoteAddressSalt', 'clientKey', 'clientKeySalt',
  'trustedProxies',
]);

function rejectUnknown(options: Record<string, unknown>, known: Set<string>, where: string): void {
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`closewatch: unknown option "${key}" in ${where}`);
  }
}

function saltOption(value: unknown, name: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new TypeError(`closewatch: option "${name}" must be a string`);
  return value;
}

function clientKeyOption(value: unknown, fallback: ResolvedConnection['clientKey']): ResolvedConnection['clientKey'] {
  if (value === undefined) return fallback;
  if (value === false) return false;
  if (typeof value !== 'function') fail('clientKey', 'false or a function of the upgrade request', value);
  return value as (request: IncomingMessage) => string | undefined;
}

function defaultRemoteAddress(request: IncomingMessage): string | undefined {
  return request.socket?.remoteAddress;
}

function resolveConnectionFields(
  raw: Record<string, unknown>,
  base: Omit<ResolvedConnection, 'instance'> | undefined,
  defaultSalt: string,
): Omit<ResolvedConnection, 'instance'> {
  const labels = raw['labels'];
  const capture = raw['captureRemoteAddress'];
  let remoteAddress = base?.remoteAddress ?? false;
  if (capture !== undefined) {
    remoteAddress =
      typeof capture === 'function'
        ? (capture as (request: IncomingMessage) => string | undefined)
        : booleanOption(capture, 'captureRemoteAddress', false) && defaultRemoteAddress;
  }
  const labelsIsFn = typeof labels === 'function';
  return {
    service: stringOption(raw['service'], 'service', base?.service ?? 'default', EVENT_LIMITS.serviceLength),
    route: functionOption(raw['route'], 'route') ?? base?.route,
    labels: labels === undefined ? (base?.labels ?? Object.freeze({})) : labelsIsFn ? Object.freeze({}) : labelsOption(labels, 'labels'),
    labelsFn: labels === undefined ? base?.labelsFn : labelsIsFn ? (labels as (request: IncomingMessage) => Labels) : undefined,
    sampleRate: rateOption(raw['sampleRate'], 'sampleRate', base?.sampleRate ?? 1),
    remoteAddress,
    remoteAddressSalt: saltOption(raw['remoteAddressSalt'], 'remoteAddressSalt', base?.remoteAddressSalt ?? ''),
    clientKey: clientKeyOption(raw['clientKey'], base?.clientKey ?? 'default'),
    clientKeySalt: saltOption(raw['clientKeySalt'], 'clientKeySalt', base?.clientKeySalt ?? defaultSalt),
    trustedProxies: trustedProxiesOption(raw['trustedProxies'], 'trustedProxies', base?.trustedProxies),
  };
}

function defaultInstance(): string {
  const name = `${hostname()}:${process.pid}`;
  return name.length > EVENT_LIMITS.instanceLength ? name.slice(name.length - EVENT_LIMITS.instanceLength) : name;
}

/** Applies defaults and validates; throws `TypeError` naming the first invalid option. */
export function resolveOptions(options: unknown): ResolvedOptions {
  const raw = checkOptionsObject(options);
  rejectUnknown(raw, KNOWN_OPTIONS, 'options');
  const envKey = typeof process !== 'undefined' ? process.env[API_KEY_ENV] : undefined;
  const keySource = raw['apiKey'] ?? envKey;
  if (keySource === undefined || keySource === '') {
    throw new TypeError(`closewatch: option "apiKey" is required (or set the ${API_KEY_ENV} environment variable)`);
  }
  const apiKey = stringOption(keySource, 'apiKey', '', 512);
  if (/\s/.test(apiKey)) throw new TypeError('closewatch: option "apiKey" must not contain whitespace');
  const retryBaseDelayMs = integerOption(raw['retryBaseDelayMs'], 'retryBaseDelayMs', 1000, 1, 600_000);
  const retryMaxDelayMs = integerOption(raw['retryMaxDelayMs'], 'retryMaxDelayMs', Math.max(30_000, retryBaseDelayMs), retryBaseDelayMs, 3_600_000);
  const fetchImpl = functionOption<FetchLike>(raw['fetch'], 'fetch') ?? (globalThis.fetch as FetchLike | undefined);
  if (fetchImpl === undefined) {
    throw new TypeError('closewatch: no global fetch in this runtime; pass the "fetch" option (Node 18+ has one)');
  }
  return {
    connection: {
      ...resolveConnectionFields(raw, undefined, apiKey),
      instance: stringOption(raw['instance'], 'instance', defaultInstance(), EVENT_LIMITS.instanceLength),
    },
    endpoint: collectorEndpoint(raw['collectorUrl'], 'collectorUrl', DEFAULT_COLLECTOR_URL),
    apiKey,
    batchSize: integerOption(raw['batchSize'], 'batchSize', 1000, 1, MAX_BATCH_SIZE),
    flushIntervalMs: integerOption(raw['flushIntervalMs'], 'flushIntervalMs', 5000, 1, 3_600_000),
    maxQueue: integerOption(raw['maxQueue'], 'maxQueue', 10_000, 1, 10_000_000),
    requestTimeoutMs: integerOption(raw['requestTimeoutMs'], 'requestTimeoutMs', 10_000, 1, 600_000),
    retryBaseDelayMs,
    retryMaxDelayMs,
    flushOnExit: booleanOption(raw['flushOnExit'], 'flushOnExit', false),
    reportOpens: booleanOption(raw['reportOpens'], 'reportOpens', true),
    onError: functionOption<ErrorHandler>(raw['onError'], 'onError'),
    fetch: fetchImpl,
    codes: codesOption(raw['codes']),
  };
}

/** Overrides passed to `client.instrument()` / `client.track()`, over the client's settings. */
export function resolveConnectionOverrides(overrides: unknown, base: ResolvedConnection): ResolvedConnection {
  if (overrides === undefined) return base;
  const raw = checkOptionsObject(overrides, 'overrides');
  rejectUnknown(raw, CONNECTION_OPTIONS, 'connection overrides');
  return { ...resolveConnectionFields(raw, base, base.clientKeySalt), instance: base.instance };
}

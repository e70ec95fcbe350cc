/**
 * `@closewatch/sdk/browser`: reports how browser WebSockets close. No Node modules.
 *
 * ```js
 * import { observe } from '@closewatch/sdk/browser';
 * observe(new WebSocket('wss://example.com/ws'), { apiKey: 'cw_browser_...', collectorUrl: 'https://closewatch.example.com' });
 * ```
 */
import { createClient as newClient, type BrowserClient } from './client.js';
import { observedSubclass, type WebSocketConstructor } from './observed-websocket.js';
import type { BrowserOptions, ObservableWebSocket } from './options.js';

export { BROWSER_SDK_NAME, MAX_KEEPALIVE_BODY_BYTES, type BrowserClient } from './client.js';
export type { BrowserOptions, ObservableWebSocket, ObserveOptions } from './options.js';
export type { WebSocketConstructor } from './observed-websocket.js';
export { ClosewatchError, type ClosewatchErrorKind, type ErrorHandler, type RejectedEvent } from '../errors.js';
export type { ClosewatchEvent, Initiator } from '../event.js';
export type { DeliveryStats } from '../delivery/delivery.js';
export type { FetchLike, RequestInitLike, ResponseLike } from '../delivery/post-batch.js';
export type { Labels } from '../validate.js';
export { SDK_VERSION } from '../version.js';

const created = new WeakSet<BrowserClient>();
// observe() is called once per socket; calls given the same options object share one
// client, hence one queue and one set of page listeners.
const shared = new WeakMap<object, BrowserClient>();

/**
 * Creates a client: one queue, flushed on page hide. See `BrowserOptions` for the
 * options and their defaults.
 * @throws {TypeError} naming the first invalid option.
 */
export function createClient(options: BrowserOptions): BrowserClient {
  const client = newClient(options);
  created.add(client);
  return client;
}

function clientFor(options: BrowserOptions | BrowserClient): BrowserClient {
  if (created.has(options as BrowserClient)) return options as BrowserClient;
  let client = shared.get(options);
  if (client === undefined) {
    client = createClient(options as BrowserOptions);
    shared.set(options, client);
  }
  return client;
}

/** Calling it stops observing the socket (its close is then not reported). */
export interface Observation {
  (): void;
  /** Sends what is queued now; resolves when delivered or after `timeoutMs` (default 10 s). Never rejects. */
  flush(timeoutMs?: number): Promise<void>;
  /** Stops observing, delivers what is queued (at most `timeoutMs`, default 5 s) and shuts the client down. Never rejects. */
  close(timeoutMs?: number): Promise<void>;
  readonly client: BrowserClient;
}

/**
 * Reports the close of one WebSocket (code, reason, wasClean, who closed, lifetime,
 * messages and bytes both ways). Pass the same options object, or a client from
 * `createClient`, for every socket.
 * @throws {TypeError} when `socket` is not a WebSocket or an option is invalid.
 */
export function observe(socket: ObservableWebSocket, options: BrowserOptions | BrowserClient): Observation {
  const client = clientFor(options);
  const stop = client.observe(socket);
  return Object.assign((): void => stop(), {
    flush: (timeoutMs?: number) => client.flush(timeoutMs),
    close: (timeoutMs?: number) => {
      stop();
      // A closed client must not swallow the sockets of later calls with these options.
      if (shared.get(options) === client) shared.delete(options);
      return client.close(timeoutMs);
    },
    client,
  });
}

/**
 * A WebSocket class whose instances are all observed:
 * `const WebSocket = createObservedWebSocket(options)`, then `new WebSocket(url)` as usual.
 * `Base` defaults to the global `WebSocket`.
 * @throws {TypeError} when an option is invalid or there is no WebSocket class.
 */
export function createObservedWebSocket(options: BrowserOptions | BrowserClient): typeof WebSocket;
/** The same, extending `Base` (any API-compatible WebSocket class). */
export function createObservedWebSocket<C extends WebSocketConstructor>(options: BrowserOptions | BrowserClient, Base: C): C;
// Implementation of the two overloads above.
export function createObservedWebSocket(
  options: BrowserOptions | BrowserClient,
  Base?: WebSocketConstructor,
): WebSocketConstructor {
  const base = Base ?? (typeof WebSocket === 'function' ? (WebSocket as unknown as WebSocketConstructor) : undefined);
  if (typeof base !== 'function') throw new TypeError('closewatch: no WebSocket class here; pass one as second argument');
  return observedSubclass(base, clientFor(options));
}

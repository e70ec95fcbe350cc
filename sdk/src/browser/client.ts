/**
 * A closewatch client for browsers: one keepalive-fetch delivery queue, flushed when
 * the page is hidden or unloaded.
 *
 * Delivery uses `fetch(..., { keepalive: true })` with the `Authorization: Bearer`
 * header the collector requires. `navigator.sendBeacon` is deliberately not used: it
 * cannot set that header, so the key would have to travel in the URL (and end up in
 * access logs). Keepalive requests may outlive the page but share a 64 KiB budget of
 * bodies in flight, so batches stay under 60 KB and an unload sends at most that much.
 */
import { Delivery, type DeliveryStats } from '../delivery/delivery.js';
import { ClosewatchError, createWarnOnceHandler, safeReport, type ErrorHandler } from '../errors.js';
import { defaultRoute } from '../default-route.js';
import { EVENT_LIMITS } from '../event-limits.js';
import { clampField } from '../validate.js';
import { SDK_VERSION } from '../version.js';
import {
  resolveBrowserOptions,
  resolveObserveOverrides,
  type BrowserOptions,
  type ObservableWebSocket,
  type ObserveOptions,
  type ResolvedObserve,
} from './options.js';
import { browserClientAgent, pageIdentity, type PageIdentity } from './client-identity.js';
import { onPageHidden } from './page-lifecycle.js';
import { SocketObserver, type SocketMeta } from './socket-observer.js';

/** `meta.sdk` of the browser SDK. */
export const BROWSER_SDK_NAME = `closewatch-browser/${SDK_VERSION}`;
/** Largest request body; browsers refuse keepalive bodies over 64 KiB in flight. */
export const MAX_KEEPALIVE_BODY_BYTES = 60_000;

/** One queue to one collector, shared by the sockets it observes. */
export interface BrowserClient {
  /**
   * Reports the close of `socket` (CONNECTING or OPEN; a closed one is ignored, as is
   * one this client already observes). Returns a function that stops observing it.
   * @throws {TypeError} when `socket` is not a WebSocket or an override is invalid.
   */
  observe(socket: ObservableWebSocket, overrides?: ObserveOptions): () => void;
  /** Sends what is queued; resolves when delivered or after `timeoutMs` (default 10 s). Never rejects. */
  flush(timeoutMs?: number): Promise<void>;
  /** Stops observing, delivers what is queued (at most `timeoutMs`, default 5 s), then stops. Never rejects. */
  close(timeoutMs?: number): Promise<void>;
  stats(): DeliveryStats;
}

const CLOSING = 2;

function isObservable(value: unknown): value is ObservableWebSocket {
  if (value === null || typeof value !== 'object') return false;
  const socket = value as Record<string, unknown>;
  return (
    typeof socket['addEventListener'] === 'function' &&
    typeof socket['removeEventListener'] === 'function' &&
    typeof socket['send'] === 'function' &&
    typeof socket['close'] === 'function' &&
    typeof socket['readyState'] === 'number'
  );
}

/** The socket URL's route; the page's when the URL is not absolute (it always is in browsers). */
function socketRoute(url: unknown): string {
  const route = typeof url === 'string' ? defaultRoute(url) : undefined;
  if (route !== undefined) return route;
  return (typeof location === 'undefined' ? undefined : defaultRoute(location.pathname)) ?? '/';
}

class Client implements BrowserClient {
  private readonly settings: ResolvedObserve;
  private readonly delivery: Delivery;
  private readonly onError: ErrorHandler;
  private readonly observers = new Set<SocketObserver>();
  private readonly observed = new WeakSet<object>();
  private readonly removePageListeners: () => void;
  private readonly page: PageIdentity;
  private readonly clientAgent: string | undefined;
  private closed = false;

  constructor(options: BrowserOptions) {
    const resolved = resolveBrowserOptions(options);
    this.settings = resolved.observe;
    this.onError = resolved.onError ?? createWarnOnceHandler();
    this.delivery = new Delivery({
      endpoint: resolved.endpoint,
      apiKey: resolved.apiKey,
      sdk: BROWSER_SDK_NAME,
      batchSize: resolved.batchSize,
      flushIntervalMs: resolved.flushIntervalMs,
      maxQueue: resolved.maxQueue,
      maxBatchBytes: MAX_KEEPALIVE_BODY_BYTES,
      retryBaseDelayMs: resolved.retryBaseDelayMs,
      retryMaxDelayMs: resolved.retryMaxDelayMs,
      requestTimeoutMs: resolved.requestTimeoutMs,
      keepalive: true,
      fetch: resolved.fetch,
      onError: this.onError,
    });
    this.removePageListeners = onPageHidden(() => this.sendBeforeUnload());
    this.page = pageIdentity();
    this.clientAgent = browserClientAgent();
  }

  observe(socket: ObservableWebSocket, overrides?: ObserveOptions): () => void {
    if (!isObservable(socket)) throw new TypeError('closewatch: observe() needs a WebSocket as first argument');
    const settings = resolveObserveOverrides(overrides, this.settings);
    if (this.closed || this.observed.has(socket) || socket.readyState >= CLOSING) return () => {};
    if (settings.sampleRate < 1 && !(Math.random() < settings.sampleRate)) return () => {};
    this.observed.add(socket);
    const observer = new SocketObserver(
      socket,
      this.describe(socket, settings),
      (event) => this.delivery.enqueue(event),
      (done) => {
        this.observers.delete(done);
        this.observed.delete(socket);
      },
      this.onError,
      this.page.reconnects,
    );
    this.observers.add(observer);
    return () => observer.detach();
  }

  flush(timeoutMs?: number): Promise<void> {
    return this.delivery.flush(timeoutMs);
  }

  close(timeoutMs?: number): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const observer of [...this.observers]) observer.detach();
      this.removePageListeners();
    }
    return this.delivery.close(timeoutMs);
  }

  stats(): DeliveryStats {
    return this.delivery.stats();
  }

  /** The page may be gone in a moment: put everything on the wire now. */
  sendBeforeUnload(): void {
    try {
      this.delivery.sendAllNow(MAX_KEEPALIVE_BODY_BYTES);
    } catch (error) {
      safeReport(this.onError, new ClosewatchError('internal', 'failed to send on page hide', { cause: error }));
    }
  }

  private describe(socket: ObservableWebSocket, settings: ResolvedObserve): SocketMeta {
    let route: string | undefined;
    if (typeof settings.route === 'string') route = settings.route;
    else if (settings.route !== undefined) {
      try {
        const custom: unknown = settings.route(socket);
        if (typeof custom === 'string') route = custom;
        else this.hookError(`returned ${typeof custom}, not a string`);
      } catch (error) {
        this.hookError('threw', error);
      }
    }
    route ??= socketRoute(socket.url);
    return {
      service: settings.service,
      instance: settings.instance,
      route: clampField(route, EVENT_LIMITS.routeLength, '/'),
      labels: settings.labels,
      clientKey: this.page.clientKey,
      clientAgent: this.clientAgent,
    };
  }

  private hookError(problem: string, cause?: unknown): void {
    const message = `the route option ${problem}; the socket URL path was used`;
    safeReport(this.onError, new ClosewatchError('hook_failed', message, cause === undefined ? {} : { cause }));
  }
}

/**
 * Creates a browser client; share it between sockets (or let `observe()` do it for
 * calls given the same options object).
 * @throws {TypeError} naming the first invalid option.
 */
export function createClient(options: BrowserOptions): BrowserClient {
  return new Client(options);
}

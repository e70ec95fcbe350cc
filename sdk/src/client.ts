/**
 * A closewatch client for Node: one delivery queue to one collector, shared by every
 * WebSocketServer and socket it follows.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { CodeRegistration } from './code-names.js';
import { Delivery, type DeliveryOptions, type DeliveryStats } from './delivery/delivery.js';
import { ClosewatchError, createWarnOnceHandler, safeReport, type ErrorHandler } from './errors.js';
import { defaultRoute } from './default-route.js';
import { EVENT_LIMITS } from './event-limits.js';
import { registerExitFlush } from './exit-hooks.js';
import {
  resolveConnectionOverrides,
  resolveOptions,
  type ClosewatchOptions,
  type ConnectionOptions,
  type ResolvedConnection,
} from './options.js';
import { clientKeyProblem, defaultClientKey, requestClientAgent } from './client-key.js';
import { hashRemoteAddress } from './remote-address.js';
import { isTracked, SocketTracker, TrackerList, type ConnectionMeta } from './socket-tracker.js';
import { clampField, mergeLabels } from './validate.js';
import { SDK_VERSION } from './version.js';

/** `meta.sdk` of the Node SDK. */
export const NODE_SDK_NAME = `closewatch-node/${SDK_VERSION}`;

const OPEN = 1;
const NO_KEY_SENT = 'the event was sent without a clientKey';

/** One queue to one collector, shared by every server and socket it follows. */
export interface ClosewatchClient {
  /**
   * Follows every connection `wss` accepts from now on (its 'connection' event, which
   * `noServer` users emit themselves after `handleUpgrade`). Returns a function that
   * removes every listener and method wrapper added, from the server and from the
   * sockets still open (those are then not reported).
   * @throws {TypeError} when `wss` is not a ws WebSocketServer or an override is invalid.
   */
  instrument(wss: WebSocketServer, overrides?: ConnectionOptions): () => void;
  /**
   * Follows one open server-side socket; `request` is its upgrade request (for the
   * route, labels and remote address). A socket already followed (by any client), or
   * no longer OPEN, is ignored. Returns a function that stops following it.
   * @throws {TypeError} when `socket` is not a ws WebSocket or an override is invalid.
   */
  track(socket: WebSocket, request?: IncomingMessage, overrides?: ConnectionOptions): () => void;
  /** Sends what is queued; resolves when delivered or after `timeoutMs` (default 10 s). Never rejects. */
  flush(timeoutMs?: number): Promise<void>;
  /**
   * Stops following every socket, delivers what is queued (waiting at most `timeoutMs`,
   * default 5 s), then stops for good. Never rejects.
   */
  close(timeoutMs?: number): Promise<void>;
  /** Delivery counters of the close events. */
  stats(): DeliveryStats;
  /** Delivery counters of the open notices (`reportOpens`), undefined when they are off. */
  openStats(): DeliveryStats | undefined;
}

function isEmitter(value: unknown): value is { on: unknown; removeListener: unknown } {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { on?: unknown }).on === 'function' &&
    typeof (value as { removeListener?: unknown }).removeListener === 'function'
  );
}

function isWsSocket(value: unknown): value is WebSocket {
  if (!isEmitter(value)) return false;
  const socket = value as unknown as Record<string, unknown>;
  return (
    typeof socket['send'] === 'function' &&
    typeof socket['close'] === 'function' &&
    typeof socket['terminate'] === 'function' &&
    typeof socket['readyState'] === 'number'
  );
}

class Client implements ClosewatchClient {
  private readonly connection: ResolvedConnection;
  private readonly delivery: Delivery;
  /** Open notices (`reportOpens`), in a queue of their own so they never push out a close event. */
  private readonly opens: Delivery | undefined;
  private readonly onError: ErrorHandler;
  /** Sockets followed now (to detach them on close). */
  private readonly trackers = new TrackerList();
  private readonly servers = new Set<() => void>();
  private readonly unregisterExit: (() => void) | undefined;
  private readonly registration: CodeRegistration;
  private closed = false;

  constructor(options: ClosewatchOptions | undefined) {
    const resolved = resolveOptions(options);
    this.connection = resolved.connection;
    this.onError = resolved.onError ?? createWarnOnceHandler();
    const delivery: DeliveryOptions = {
      endpoint: resolved.endpoint,
      apiKey: resolved.apiKey,
      sdk: NODE_SDK_NAME,
      batchSize: resolved.batchSize,
      flushIntervalMs: resolved.flushIntervalMs,
      maxQueue: resolved.maxQueue,
      // Far below the collector's 5 MiB so one request never monopolises it.
      maxBatchBytes: 1024 * 1024,
      retryBaseDelayMs: resolved.retryBaseDelayMs,
      retryMaxDelayMs: resolved.retryMaxDelayMs,
      requestTimeoutMs: resolved.requestTimeoutMs,
      keepalive: false,
      fetch: resolved.fetch,
      onError: this.onError,
    };
    this.delivery = new Delivery(delivery);
    this.opens = resolved.reportOpens
      ? new Delivery({ ...delivery, endpoint: resolved.endpoint.replace(/events$/, 'opens'), field: 'opens' })
      : undefined;
    this.registration = new CodeRegistration({
      eventsEndpoint: resolved.endpoint,
      apiKey: resolved.apiKey,
      codes: resolved.codes,
      fetch: resolved.fetch,
      timeoutMs: resolved.requestTimeoutMs,
      retryBaseDelayMs: resolved.retryBaseDelayMs,
      retryMaxDelayMs: resolved.retryMaxDelayMs,
      onError: this.onError,
    });
    this.deliver = this.deliver.bind(this);
    this.forget = this.forget.bind(this);
    this.unregisterExit = resolved.flushOnExit
      ? registerExitFlush({
          flush: (timeoutMs) => this.flush(timeoutMs),
          pending: () => {
            const stats = this.delivery.stats();
            const opens = this.opens?.stats();
            return stats.queued + stats.inFlight + (opens === undefined ? 0 : opens.queued + opens.inFlight);
          },
        })
      : undefined;
  }

  instrument(wss: WebSocketServer, overrides?: ConnectionOptions): () => void {
    if (!isEmitter(wss)) throw new TypeError('closewatch: instrument() needs a ws WebSocketServer as first argument');
    const connection = resolveConnectionOverrides(overrides, this.connection);
    const group = {};
    const onConnection = (socket: WebSocket, request: IncomingMessage): void => {
      try {
        this.follow(socket, request, connection, group);
      } catch (error) {
        safeReport(this.onError, new ClosewatchError('internal', 'failed to follow a connection', { cause: error }));
      }
    };
    wss.on('connection', onConnection);
    const remove = (): void => {
      wss.removeListener('connection', onConnection);
      for (const tracker of this.trackers.toArray()) if (tracker.group === group) tracker.detach();
      this.servers.delete(remove);
    };
    this.servers.add(remove);
    return remove;
  }

  track(socket: WebSocket, request?: IncomingMessage, overrides?: ConnectionOptions): () => void {
    if (!isWsSocket(socket)) throw new TypeError('closewatch: track() needs a ws WebSocket as first argument');
    const connection = resolveConnectionOverrides(overrides, this.connection);
    const tracker = this.follow(socket, request, connection, undefined);
    return tracker === undefined ? () => {} : () => tracker.detach();
  }

  async flush(timeoutMs?: number): Promise<void> {
    await Promise.all([this.delivery.flush(timeoutMs), this.opens?.flush(timeoutMs)]);
  }

  close(timeoutMs?: number): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const remove of [...this.servers]) remove();
      for (const tracker of this.trackers.toArray()) tracker.detach();
      this.unregisterExit?.();
      this.registration.stop();
    }
    return Promise.all([this.delivery.close(timeoutMs), this.opens?.close(timeoutMs)]).then(() => {});
  }

  stats(): DeliveryStats {
    return this.delivery.stats();
  }

  openStats(): DeliveryStats | undefined {
    return this.opens?.stats();
  }

  private follow(
    socket: WebSocket,
    request: IncomingMessage | undefined,
    connection: ResolvedConnection,
    group: object | undefined,
  ): SocketTracker | undefined {
    if (this.closed || socket.readyState !== OPEN || isTracked(socket)) return undefined;
    if (connection.sampleRate < 1 && !(Math.random() < connection.sampleRate)) return undefined;
    const meta = this.describe(request, connection);
    const tracker = new SocketTracker(socket, meta, group, this.deliver, this.forget, this.onError);
    this.trackers.add(tracker);
    if (this.opens !== undefined && meta.clientKey !== undefined) {
      tracker.openNotice = this.opens.enqueue({
        id: tracker.eventId,
        clientKey: meta.clientKey,
        openedAt: Date.now(),
        service: meta.service,
        instance: meta.instance,
        route: meta.route,
      });
    }
    return tracker;
  }

  private describe(request: IncomingMessage | undefined, connection: ResolvedConnection): ConnectionMeta {
    let route: string | undefined;
    if (connection.route !== undefined && request !== undefined) {
      const custom = this.callHook('route', () => connection.route?.(request));
      if (typeof custom === 'string') route = custom;
      else if (custom !== undefined) this.hookError('route', `returned ${typeof custom}, not a string`);
    }
    route ??= (request?.url === undefined ? undefined : defaultRoute(request.url)) ?? '/';
    let labels: Record<string, string> = connection.labels;
    if (connection.labelsFn !== undefined && request !== undefined) {
      const extra = this.callHook('labels', () => connection.labelsFn?.(request));
      const merged = mergeLabels(connection.labels, extra);
      if (merged.problem !== undefined) this.hookError('labels', merged.problem, undefined, 'the valid labels were sent');
      labels = merged.labels;
    }
    let remoteAddrHash: string | undefined;
    if (connection.remoteAddress !== false && request !== undefined) {
      const pick = connection.remoteAddress;
      const address = this.callHook('captureRemoteAddress', () => pick(request));
      if (typeof address === 'string' && address !== '') {
        remoteAddrHash = hashRemoteAddress(address, connection.remoteAddressSalt);
      }
    }
    return {
      service: connection.service,
      instance: connection.instance,
      route: clampField(route, EVENT_LIMITS.routeLength, '/'),
      labels,
      remoteAddrHash,
      clientKey: request === undefined ? undefined : this.clientKey(request, connection),
      clientAgent: request === undefined ? undefined : requestClientAgent(request),
    };
  }

  private clientKey(request: IncomingMessage, connection: ResolvedConnection): string | undefined {
    const option = connection.clientKey;
    if (option === false) return undefined;
    if (option === 'default') return defaultClientKey(request, connection.clientKeySalt, connection.trustedProxies);
    const key = this.callHook('clientKey', () => option(request), NO_KEY_SENT);
    if (key === undefined) return undefined;
    const problem = clientKeyProblem(key);
    if (problem === undefined) return key as string;
    this.hookError('clientKey', problem, undefined, NO_KEY_SENT);
    return undefined;
  }

  private callHook(name: string, hook: () => unknown, outcome?: string): unknown {
    try {
      return hook();
    } catch (error) {
      this.hookError(name, 'threw', error, outcome);
      return undefined;
    }
  }

  private hookError(name: string, problem: string, cause?: unknown, outcome = 'the default was used'): void {
    const message = `the ${name} option ${problem}; ${outcome}`;
    safeReport(this.onError, new ClosewatchError('hook_failed', message, cause === undefined ? {} : { cause }));
  }

  private deliver(event: Parameters<Delivery['enqueue']>[0]): void {
    this.delivery.enqueue(event);
  }

  private forget(tracker: SocketTracker): void {
    this.trackers.remove(tracker);
    // Closed (its close event says when it opened) or no longer followed: the notice, if still queued, is not needed.
    if (tracker.openNotice !== undefined) {
      this.opens?.cancel(tracker.openNotice);
      tracker.openNotice = undefined;
    }
  }
}

/**
 * Creates a client. Use it directly to share one queue between several servers or
 * `track()` calls; `instrument()` and `track()` create one for you otherwise.
 * @throws {TypeError} naming the first invalid option.
 */
export function createClient(options?: ClosewatchOptions): ClosewatchClient {
  return new Client(options);
}

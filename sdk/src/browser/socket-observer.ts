/**
 * Follows one browser WebSocket to its 'close' event and turns it into one closewatch
 * event, from the page's point of view: the page is the client, so the initiator is
 * 'client' when page code called close(), 'server' when a close frame arrived first
 * (a clean close, or any code but 1006), 'unknown' when the connection just dropped.
 */
import { payloadByteLength } from '../byte-length.js';
import { ClosewatchError, safeReport, type ErrorHandler } from '../errors.js';
import type { ClosewatchEvent, Initiator } from '../event.js';
import { readCloseFlags } from '../ws-internals.js';
import type { ObservableWebSocket } from './options.js';
import { newEventId } from '../event-id.js';
import type { Reconnect, ReconnectMemory } from './reconnect-memory.js';

/** What is known about a socket when observation starts. */
export interface SocketMeta {
  service: string;
  instance: string;
  route: string;
  labels: Record<string, string>;
  clientKey: string | undefined;
  clientAgent: string | undefined;
}

/** The fields of a DOM `CloseEvent` the SDK reads. */
interface CloseEventLike {
  code: number;
  reason: string;
  wasClean: boolean;
}

interface MessageEventLike {
  data: unknown;
}

type Method = (...args: unknown[]) => unknown;
type WrappedName = 'send' | 'close';

const CONNECTING = 0;
const OPEN = 1;
const ABNORMAL_CLOSURE = 1006;

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Observes one socket until its 'close' event, or until `detach()`. */
export class SocketObserver {
  private readonly socket: ObservableWebSocket;
  private readonly meta: SocketMeta;
  private readonly deliver: (event: ClosewatchEvent) => void;
  private readonly onDetach: (observer: SocketObserver) => void;
  private readonly onError: ErrorHandler;
  private readonly reconnects: ReconnectMemory;
  /** Service and route: where the last close is remembered for the next socket. */
  private readonly reconnectKey: string;
  /** The close this socket reconnects from, learnt when it opened. */
  private reconnect: Reconnect | undefined;
  private readonly wrapped: Array<{ name: WrappedName; wrapper: Method; original: Method; own: boolean }> = [];
  private readonly onOpen: (event: Event) => void;
  private readonly onMessage: (event: Event) => void;
  private readonly onClose: (event: Event) => void;
  private openedAt: number | undefined;
  private active = true;
  private clientInitiated = false;
  private messagesIn = 0;
  private messagesOut = 0;
  private bytesIn = 0;
  private bytesOut = 0;

  constructor(
    socket: ObservableWebSocket,
    meta: SocketMeta,
    deliver: (event: ClosewatchEvent) => void,
    onDetach: (observer: SocketObserver) => void,
    onError: ErrorHandler,
    reconnects: ReconnectMemory,
  ) {
    this.socket = socket;
    this.meta = meta;
    this.deliver = deliver;
    this.onDetach = onDetach;
    this.onError = onError;
    this.reconnects = reconnects;
    this.reconnectKey = `${meta.service}\n${meta.route}`;
    if (socket.readyState === OPEN) this.opened();
    this.onOpen = () => this.handleOpen();
    this.onMessage = (event) => this.handleMessage(event as unknown as MessageEventLike);
    this.onClose = (event) => this.handleClose(event as unknown as CloseEventLike);
    socket.addEventListener('open', this.onOpen);
    socket.addEventListener('message', this.onMessage);
    socket.addEventListener('close', this.onClose);
    this.wrap('send', (args) => this.noteSend(args[0]));
    this.wrap('close', () => this.noteClose());
  }

  /** Stops observing without reporting; listeners removed, methods restored. */
  detach(): void {
    if (!this.active) return;
    this.active = false;
    this.socket.removeEventListener('open', this.onOpen);
    this.socket.removeEventListener('message', this.onMessage);
    this.socket.removeEventListener('close', this.onClose);
    const target = this.socket as unknown as Record<WrappedName, Method>;
    for (const { name, wrapper, original, own } of this.wrapped) {
      // Someone wrapped after us: keep ours in place as a pass-through.
      if (target[name] !== wrapper) continue;
      if (own) target[name] = original;
      else delete (target as Partial<Record<WrappedName, Method>>)[name];
    }
    this.wrapped.length = 0;
    this.onDetach(this);
  }

  /** After 'close' nothing more can happen: listeners and wrappers stay, inert. */
  private finish(): void {
    this.active = false;
    this.wrapped.length = 0;
    this.onDetach(this);
  }

  private wrap(name: WrappedName, observe: (args: unknown[]) => void): void {
    const target = this.socket as unknown as Record<WrappedName, Method>;
    const original = target[name];
    const own = Object.prototype.hasOwnProperty.call(target, name);
    const observer = this;
    const wrapper: Method = function (this: unknown, ...args: unknown[]): unknown {
      if (observer.active) {
        try {
          observe(args);
        } catch (error) {
          observer.internalError(error);
        }
      }
      return Reflect.apply(original, this, args);
    };
    target[name] = wrapper;
    this.wrapped.push({ name, wrapper, original, own });
  }

  private noteSend(data: unknown): void {
    // Browsers throw while CONNECTING and silently discard once closing.
    if (this.socket.readyState !== OPEN) return;
    this.messagesOut++;
    this.bytesOut += payloadByteLength(data);
  }

  private noteClose(): void {
    const state = this.socket.readyState;
    if (state !== CONNECTING && state !== OPEN) return;
    // Browsers answer a server's close frame internally; the `ws` package (Node
    // clients, tests) does it by calling close(), which must not count as the page's.
    if (readCloseFlags(this.socket).closeFrameReceived === true) return;
    this.clientInitiated = true;
  }

  private handleOpen(): void {
    if (this.openedAt === undefined) this.opened();
  }

  private opened(): void {
    this.openedAt = now();
    try {
      this.reconnect = this.reconnects.take(this.reconnectKey, Date.now());
    } catch (error) {
      this.internalError(error);
    }
  }

  private handleMessage(event: MessageEventLike): void {
    this.messagesIn++;
    this.bytesIn += payloadByteLength(event.data);
  }

  private handleClose(event: CloseEventLike): void {
    if (!this.active) return;
    try {
      const record = this.buildEvent(event);
      // Only connections count: a socket that never opened was a failed attempt.
      if (this.openedAt !== undefined) this.reconnects.noteClose(this.reconnectKey, record.code, record.ts);
      this.finish();
      this.deliver(record);
    } catch (error) {
      this.finish();
      this.internalError(error);
    }
  }

  private buildEvent(close: CloseEventLike): ClosewatchEvent {
    const code = typeof close.code === 'number' ? close.code : ABNORMAL_CLOSURE;
    const wasClean = close.wasClean === true;
    let initiator: Initiator = 'unknown';
    if (this.clientInitiated) initiator = 'client';
    else if (wasClean || code !== ABNORMAL_CLOSURE) initiator = 'server';
    const record: ClosewatchEvent = {
      id: newEventId(),
      ts: Date.now(),
      code,
      reason: typeof close.reason === 'string' ? close.reason : '',
      wasClean,
      initiator,
      service: this.meta.service,
      instance: this.meta.instance,
      route: this.meta.route,
      // A socket that never opened (refused, failed handshake) lived 0 ms.
      durationMs: this.openedAt === undefined ? 0 : Math.max(0, Math.round(now() - this.openedAt)),
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      labels: this.meta.labels,
    };
    if (this.meta.clientKey !== undefined) record.clientKey = this.meta.clientKey;
    if (this.meta.clientAgent !== undefined) record.clientAgent = this.meta.clientAgent;
    if (this.reconnect !== undefined) {
      record.previousCode = this.reconnect.previousCode;
      record.reconnectDelayMs = this.reconnect.reconnectDelayMs;
    }
    return record;
  }

  private internalError(error: unknown): void {
    safeReport(this.onError, new ClosewatchError('internal', 'failed to record a WebSocket', { cause: error }));
  }
}

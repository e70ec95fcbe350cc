/**
 * Follows one server-side `ws` WebSocket from 'connection' to 'close' and turns it into
 * exactly one closewatch event.
 *
 * Who closed first is learnt by wrapping the socket's own `close()` and `terminate()`
 * (per instance, restored on detach): ws itself calls `close()` to echo a peer's close
 * frame, and to fail the connection on a protocol error, so a call only counts as the
 * server's initiative while the socket is OPEN and no peer close frame has arrived.
 *
 * This runs once per connection on the host's hot path, so nothing is allocated per
 * socket beyond the tracker itself: the listeners and method wrappers are shared
 * functions that find their tracker through a symbol-keyed slot on the socket.
 */
import { newEventId } from './event-id.js';
import type { WebSocket } from 'ws';
import { payloadByteLength } from './byte-length.js';
import { ClosewatchError, type ErrorHandler, safeReport } from './errors.js';
import type { ClosewatchEvent, Initiator } from './event.js';
import { readCloseFlags } from './ws-internals.js';

/** What is known about a connection when it opens. */
export interface ConnectionMeta {
  service: string;
  instance: string;
  route: string;
  labels: Record<string, string>;
  remoteAddrHash: string | undefined;
  clientKey: string | undefined;
  clientAgent: string | undefined;
}

const OPEN = 1;
const ABNORMAL_CLOSURE = 1006;
const kTracker = Symbol('closewatch.tracker');

type Method = (...args: unknown[]) => unknown;
type WrappedName = 'send' | 'close' | 'terminate';
type TrackedSocket = WebSocket & { [kTracker]?: SocketTracker } & Record<WrappedName, Method>;

/** Observing a call must never make the host's own call fail. */
function guard(tracker: SocketTracker, observe: () => void): void {
  try {
    observe();
  } catch (error) {
    tracker.internalError(error);
  }
}

function sendWrapper(this: TrackedSocket, ...args: unknown[]): unknown {
  const tracker = this[kTracker] as SocketTracker;
  if (tracker.active) guard(tracker, () => tracker.noteSend(args[0], args[1]));
  return Reflect.apply(tracker.originals.send, this, args);
}

function closeWrapper(this: TrackedSocket, ...args: unknown[]): unknown {
  const tracker = this[kTracker] as SocketTracker;
  if (tracker.active) guard(tracker, () => tracker.noteClose(args[0], args[1]));
  return Reflect.apply(tracker.originals.close, this, args);
}

function terminateWrapper(this: TrackedSocket, ...args: unknown[]): unknown {
  const tracker = this[kTracker] as SocketTracker;
  if (tracker.active) guard(tracker, () => tracker.noteTerminate());
  return Reflect.apply(tracker.originals.terminate, this, args);
}

const WRAPPERS: Readonly<Record<WrappedName, Method>> = {
  send: sendWrapper as Method,
  close: closeWrapper as Method,
  terminate: terminateWrapper as Method,
};
const WRAPPED_NAMES: readonly WrappedName[] = ['send', 'close', 'terminate'];

function onSocketMessage(this: TrackedSocket, data: unknown): void {
  this[kTracker]?.noteMessage(data);
}

function onSocketClose(this: TrackedSocket, code: number, reason: Buffer | string): void {
  this[kTracker]?.noteClosed(code, reason);
}

/** Whether some tracker follows `socket` right now. */
export function isTracked(socket: WebSocket): boolean {
  return (socket as TrackedSocket)[kTracker]?.active === true;
}

/** Follows one socket until its 'close' event, or until `detach()`. */
export class SocketTracker {
  /** False once closed or detached; the shared wrappers then only pass through. */
  active = true;
  readonly socket: TrackedSocket;
  readonly originals: Record<WrappedName, Method>;
  /** Lets a client find the trackers of one instrument() call. */
  readonly group: object | undefined;
  /** Links of the client's TrackerList. */
  prev: SocketTracker | undefined = undefined;
  next: SocketTracker | undefined = undefined;
  /**
   * The id of the connection's close event, made when it opens: its open notice carries
   * the same one, so the collector can tell a connection's own notice from the next.
   */
  readonly eventId = newEventId();
  /** The connection's open notice while it may still be waiting in the client's queue. */
  openNotice: object | undefined = undefined;
  private readonly own: Record<WrappedName, boolean>;
  private readonly meta: ConnectionMeta;
  private readonly deliver: (event: ClosewatchEvent) => void;
  private readonly onDone: (tracker: SocketTracker) => void;
  private readonly onError: ErrorHandler;
  private readonly openedAt = performance.now();
  private messagesIn = 0;
  private messagesOut = 0;
  private bytesIn = 0;
  private bytesOut = 0;
  private serverInitiated = false;
  private sentCode: number | undefined = undefined;
  private sentReason = '';

  constructor(
    socket: WebSocket,
    meta: ConnectionMeta,
    group: object | undefined,
    deliver: (event: ClosewatchEvent) => void,
    onDone: (tracker: SocketTracker) => void,
    onError: ErrorHandler,
  ) {
    const target = socket as TrackedSocket;
    this.socket = target;
    this.meta = meta;
    this.group = group;
    this.deliver = deliver;
    this.onDone = onDone;
    this.onError = onError;
    this.originals = { send: target.send, close: target.close, terminate: target.terminate };
    const has = Object.prototype.hasOwnProperty;
    this.own = { send: has.call(target, 'send'), close: has.call(target, 'close'), terminate: has.call(target, 'terminate') };
    target[kTracker] = this;
    target.send = WRAPPERS.send;
    target.close = WRAPPERS.close;
    target.terminate = WRAPPERS.terminate;
    // Prepended so that a host 'close' listener that throws cannot starve ours.
    target.prependListener('close', onSocketClose);
    target.prependListener('message', onSocketMessage);
  }

  /**
   * Stops following the socket without reporting it: listeners removed, methods
   * restored. Safe to call more than once.
   */
  detach(): void {
    if (!this.active) return;
    this.active = false;
    const target = this.socket;
    target.removeListener('close', onSocketClose);
    target.removeListener('message', onSocketMessage);
    let restored = true;
    for (const name of WRAPPED_NAMES) {
      // If someone wrapped the method after us, removing ours would remove theirs
      // too; ours then stays in place as a pass-through, and so does its slot.
      if (target[name] !== WRAPPERS[name]) restored = false;
      else if (this.own[name]) target[name] = this.originals[name];
      else delete (target as Partial<TrackedSocket>)[name];
    }
    if (restored) delete target[kTracker];
    this.onDone(this);
  }

  /** @internal */
  noteSend(data: unknown, options: unknown): void {
    // ws discards sends made after the close started (and throws while CONNECTING).
    if (this.socket.readyState !== OPEN) return;
    this.bytesOut += payloadByteLength(data);
    // A fragmented message counts once, on its last fragment.
    if (options === null || typeof options !== 'object' || (options as { fin?: unknown }).fin !== false) this.messagesOut++;
  }

  /** @internal */
  noteClose(code: unknown, reason: unknown): void {
    if (this.serverInitiated || this.socket.readyState !== OPEN) return;
    // ws calls close() itself to echo the peer's close frame: not the server's initiative.
    if (readCloseFlags(this.socket).closeFrameReceived === true) return;
    this.serverInitiated = true;
    if (typeof code === 'number') this.sentCode = code;
    if (typeof reason === 'string') this.sentReason = reason;
    else if (Buffer.isBuffer(reason)) this.sentReason = reason.toString('utf8');
  }

  /** @internal */
  noteTerminate(): void {
    if (!this.serverInitiated && this.socket.readyState === OPEN) this.serverInitiated = true;
  }

  /** @internal */
  noteMessage(data: unknown): void {
    if (!this.active) return;
    this.messagesIn++;
    this.bytesIn += payloadByteLength(data);
  }

  /** @internal */
  noteClosed(code: number, reason: Buffer | string): void {
    if (!this.active) return;
    // After 'close' nothing more can happen on the socket, so listeners and wrappers
    // stay in place, inert: deleting the methods again would push every socket into
    // V8's slow dictionary mode, on the hot path of every connection.
    this.active = false;
    try {
      const event = this.buildEvent(code, reason);
      this.onDone(this);
      this.deliver(event);
    } catch (error) {
      this.onDone(this);
      this.internalError(error);
    }
  }

  /** @internal */
  internalError(error: unknown): void {
    safeReport(this.onError, new ClosewatchError('internal', 'failed to record a connection', { cause: error }));
  }

  private buildEvent(code: number, rawReason: Buffer | string): ClosewatchEvent {
    const flags = readCloseFlags(this.socket);
    const closeFrameReceived = flags.closeFrameReceived ?? code !== ABNORMAL_CLOSURE;
    const closeFrameSent = flags.closeFrameSent ?? code !== ABNORMAL_CLOSURE;
    let reason = typeof rawReason === 'string' ? rawReason : rawReason.toString('utf8');
    let recordedCode = code;
    // When ws fails a connection (oversized message, protocol violation) it sends the
    // code (1009, 1002...) and closes without waiting for the answer, so its 'close'
    // says 1006. The code it sent is what the operator needs to see.
    if (code === ABNORMAL_CLOSURE && flags.errorEmitted === true && !closeFrameReceived && this.sentCode !== undefined) {
      recordedCode = this.sentCode;
      reason = this.sentReason;
    }
    let initiator: Initiator = 'unknown';
    if (this.serverInitiated) initiator = 'server';
    else if (closeFrameReceived) initiator = 'client';
    const event: ClosewatchEvent = {
      id: this.eventId,
      ts: Date.now(),
      code: recordedCode,
      reason,
      wasClean: closeFrameReceived && closeFrameSent,
      initiator,
      service: this.meta.service,
      instance: this.meta.instance,
      route: this.meta.route,
      durationMs: Math.max(0, Math.round(performance.now() - this.openedAt)),
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      labels: this.meta.labels,
    };
    if (this.meta.remoteAddrHash !== undefined) event.remoteAddrHash = this.meta.remoteAddrHash;
    if (this.meta.clientKey !== undefined) event.clientKey = this.meta.clientKey;
    if (this.meta.clientAgent !== undefined) event.clientAgent = this.meta.clientAgent;
    return event;
  }
}

/**
 * The live trackers of a client, as an intrusive list: a Set's add and delete cost
 * more per connection than all the rest of the client's bookkeeping.
 */
export class TrackerList {
  private head: SocketTracker | undefined;

  add(tracker: SocketTracker): void {
    tracker.next = this.head;
    if (this.head !== undefined) this.head.prev = tracker;
    this.head = tracker;
  }

  remove(tracker: SocketTracker): void {
    if (tracker.prev !== undefined) tracker.prev.next = tracker.next;
    else if (this.head === tracker) this.head = tracker.next;
    else return;
    if (tracker.next !== undefined) tracker.next.prev = tracker.prev;
    tracker.prev = undefined;
    tracker.next = undefined;
  }

  /** A snapshot, safe to iterate while trackers detach themselves. */
  toArray(): SocketTracker[] {
    const out: SocketTracker[] = [];
    for (let tracker = this.head; tracker !== undefined; tracker = tracker.next) out.push(tracker);
    return out;
  }
}

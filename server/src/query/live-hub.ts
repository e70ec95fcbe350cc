import type { CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { EventTail, TailCursor } from '../storage/event-tail.js';
import { byCountDesc, codeFields, codeKey } from './code-info.js';
import { toEventView } from './event-view.js';
import type { CloseFilters } from './filters.js';
import { matchesFilters } from './live-match.js';
import type { CloseEventView, LiveTick } from './schemas.js';

/** Events per tick message, newest first. */
export const LIVE_EVENTS_PER_TICK = 20;

/** Above this many unsent bytes a client is considered slow and its ticks are coalesced. */
export const LIVE_MAX_BUFFERED_BYTES = 1024 * 1024;

/** Most events one tick reads; a burst larger than this is spread over the next ticks. */
export const LIVE_MAX_EVENTS_PER_TICK = 10_000;

/** What the hub needs of a WebSocket (the `ws` socket has it; tests may fake it). */
export interface LiveSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
}

const OPEN = 1;

/** Counts not yet sent to one client: the current tick, plus any it was too slow to receive. */
interface Pending {
  from: number;
  total: number;
  byCode: Map<string, { code: number | null; count: number }>;
  byService: Map<string, number>;
  /** Newest last, at most LIVE_EVENTS_PER_TICK. */
  events: CloseEventView[];
  skipped: number;
}

export interface LiveClient {
  readonly socket: LiveSocket;
  readonly filters: CloseFilters;
  pending: Pending;
}

export interface LiveSource {
  /** A cursor at what is stored now; each `next` gives what was stored since, once each. */
  open(): Promise<{ next(limit: number): Promise<CloseEventView[]>; close(): void }>;
}

/** The live tail of the event store, as the hub reads it. */
export function liveSource(tail: EventTail, names: () => CustomCloseCodes = () => new Map()): LiveSource {
  return {
    async open() {
      const cursor: TailCursor = await tail.open();
      return {
        next: async (limit) => {
          const current = names();
          return (await cursor.next(limit)).map((e) => toEventView(e, current));
        },
        close: () => cursor.close(),
      };
    },
  };
}

export interface LiveHubOptions {
  tickMs: number;
  maxBufferedBytes?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
  /** The team's own code names at the moment of a tick (default none). */
  codeNames?: () => CustomCloseCodes;
}

const emptyPending = (from: number): Pending => ({ from, total: 0, byCode: new Map(), byService: new Map(), events: [], skipped: 0 });

/**
 * The live feed: one timer and one query per tick for all clients, filtered per client
 * in JS. A client whose socket still holds more than `maxBufferedBytes` is skipped and
 * its counts carried into the next tick it can take, so memory stays bounded per client.
 */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private timer: NodeJS.Timeout | null = null;
  private cursor: Awaited<ReturnType<LiveSource['open']>> | null = null;
  private lastTickAt = 0;
  private starting: Promise<void> | null = null;
  private ticking = false;
  private readonly maxBuffered: number;
  private readonly now: () => number;
  /** Ticks not sent to some client because it was slow, since start (for metrics). */
  skippedTicks = 0;

  constructor(
    private readonly source: LiveSource,
    private readonly options: LiveHubOptions,
  ) {
    this.maxBuffered = options.maxBufferedBytes ?? LIVE_MAX_BUFFERED_BYTES;
    this.now = options.now ?? Date.now;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /**
   * Starts feeding a socket; the first tick it gets counts from the hub's previous tick.
   * The client counts (clientCount) from this call on, before the hub has started.
   */
  async add(socket: LiveSocket, filters: CloseFilters): Promise<LiveClient> {
    const client: LiveClient = { socket, filters, pending: emptyPending(this.lastTickAt) };
    this.clients.add(client);
    const started = this.timer !== null;
    await this.start();
    if (!started) client.pending = emptyPending(this.lastTickAt);
    return client;
  }

  remove(client: LiveClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0) this.stop();
  }

  /** Sends a message to every open client now (alert changes: not counted, not coalesced). */
  broadcast(message: object): void {
    const text = JSON.stringify(message);
    for (const client of this.clients) if (client.socket.readyState === OPEN) client.socket.send(text);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.cursor?.close();
    this.cursor = null;
  }

  /** The timer runs only while someone listens; it starts from what is stored now. */
  private start(): Promise<void> {
    if (this.timer !== null) return Promise.resolve();
    this.starting ??= (async () => {
      this.cursor = await this.source.open();
      this.lastTickAt = this.now();
      this.timer = setInterval(() => void this.tick(), this.options.tickMs);
      this.timer.unref();
    })().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** One tick: read what was stored since the last one and send every client its share. */
  async tick(): Promise<void> {
    if (this.ticking) return; // a slow read must not pile up overlapping ticks
    if (this.clients.size === 0) {
      this.stop();
      return;
    }
    this.ticking = true;
    try {
      if (this.cursor === null) return;
      const events = await this.cursor.next(LIVE_MAX_EVENTS_PER_TICK);
      const now = this.now();
      this.lastTickAt = now;
      for (const client of this.clients) this.deliver(client, events, now);
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.ticking = false;
    }
  }

  private deliver(client: LiveClient, events: readonly CloseEventView[], now: number): void {
    const p = client.pending;
    const names = this.options.codeNames?.();
    for (const event of events) {
      if (!matchesFilters(event, client.filters, names)) continue;
      p.total += 1;
      const key = codeKey(event.code);
      const c = p.byCode.get(key);
      if (c) c.count += 1;
      else p.byCode.set(key, { code: event.code, count: 1 });
      p.byService.set(event.service, (p.byService.get(event.service) ?? 0) + 1);
      p.events.push(event);
      if (p.events.length > LIVE_EVENTS_PER_TICK) p.events.shift();
    }
    if (client.socket.readyState !== OPEN) return;
    if (client.socket.bufferedAmount > this.maxBuffered) {
      p.skipped += 1;
      this.skippedTicks += 1;
      return;
    }
    client.socket.send(JSON.stringify(tickMessage(p, now, this.options.codeNames?.())));
    client.pending = emptyPending(now);
  }
}

function tickMessage(p: Pending, now: number, names: CustomCloseCodes | undefined): LiveTick {
  return {
    type: 'tick',
    from: p.from,
    to: now,
    total: p.total,
    byCode: [...p.byCode.values()]
      .sort(byCountDesc((c) => c.count, (c) => codeKey(c.code)))
      .map((c) => ({ ...codeFields(c.code, names), count: c.count })),
    byService: [...p.byService.entries()]
      .map(([service, count]) => ({ service, count }))
      .sort(byCountDesc((s) => s.count, (s) => s.service)),
    events: [...p.events].reverse(),
    skippedTicks: p.skipped,
  };
}

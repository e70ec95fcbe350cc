import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { instrument, type ClosewatchOptions, type Instrumentation } from '@closewatch/sdk';
import { WebSocketServer, type WebSocket } from 'ws';
import { randomInt, seededRandom, type RandomSource } from './seeded-random.js';

/** Largest message a demo server accepts; clients of the `too-big` scenario exceed it (1009). */
export const DEMO_MAX_PAYLOAD = 16 * 1024;

export interface DemoServiceOptions {
  service: string;
  instance: string;
  routes: readonly string[];
  sdk: ClosewatchOptions;
  /** Counts every close this server saw, by code, for the fleet's own tally. */
  onClose: (code: number) => void;
}

/** Every fifth socket of a rolling restart is told 1001 Going Away, the others 1012 Restart. */
const GOING_AWAY_EVERY = 5;

/** What the server side knows of one connection, to tally its close as the SDK records it. */
interface ConnectionState {
  random: RandomSource;
  /** The first close code this server sent while the socket was open (by us or by ws itself). */
  firstSent: number | undefined;
  errored: boolean;
}


/** The close code ws attaches to its protocol errors (a symbol-keyed property). */
function wsErrorStatusCode(error: Error): number | undefined {
  const key = Object.getOwnPropertySymbols(error).find((s) => s.description === 'status-code');
  const value = key === undefined ? undefined : (error as unknown as Record<symbol, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}

/**
 * One instrumented `ws` server instance of the demo. It behaves like a small real
 * service: it answers messages, enforces a policy, has a payload limit, crashes on
 * some messages, sheds load when overloaded and restarts now and then.
 */
export class DemoService {
  readonly service: string;
  readonly instance: string;
  readonly routes: readonly string[];
  /** While true, new connections are shed with 1013. */
  overloaded = false;
  /** Share of messages whose handler fails with 1011. */
  crashRate = 0.02;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly instrumentation: Instrumentation;

  constructor(private readonly options: DemoServiceOptions) {
    this.service = options.service;
    this.instance = options.instance;
    this.routes = options.routes;
    this.http = createServer((_req, res) => res.writeHead(426).end('WebSocket only'));
    this.wss = new WebSocketServer({ server: this.http, maxPayload: DEMO_MAX_PAYLOAD });
    this.instrumentation = instrument(this.wss, { ...options.sdk, service: options.service, instance: options.instance });
    this.wss.on('connection', (socket, request) => this.accept(socket, request));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return (this.http.address() as AddressInfo).port;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  private readonly connections = new WeakMap<WebSocket, ConnectionState>();

  /** A rolling restart: every open connection is told 1012 (every fifth 1001) and the instance goes on. */
  restart(): number {
    let closed = 0;
    for (const socket of this.wss.clients) {
      if (closed % GOING_AWAY_EVERY === GOING_AWAY_EVERY - 1) this.close(socket, 1001, 'server shutting down');
      else this.close(socket, 1012, 'service restart');
      closed += 1;
    }
    return closed;
  }

  /** Stops accepting, closes what is open and delivers the queued events. */
  async stop(): Promise<void> {
    for (const socket of this.wss.clients) this.close(socket, 1001, 'demo stopping');
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const socket of this.wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    await this.instrumentation.close(10_000);
  }

  /** Closes a socket, remembering the code if it is the first one sent while open. */
  private close(socket: WebSocket, code: number, reason: string): void {
    const state = this.connections.get(socket);
    if (state !== undefined && state.firstSent === undefined && socket.readyState === socket.OPEN) state.firstSent = code;
    socket.close(code, reason);
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const params = new URL(request.url ?? '/', 'http://demo').searchParams;
    const seed = Number(params.get('seed'));
    const state: ConnectionState = { random: Number.isInteger(seed) ? seededRandom(seed) : Math.random, firstSent: undefined, errored: false };
    this.connections.set(socket, state);
    // When ws fails a connection (1009 too big, 1002 protocol) it sends that code (before
    // emitting 'error') and its 'close' says 1006, as no close frame comes back. The SDK
    // then records the first code the server sent; the fleet's tally follows the same rule.
    socket.on('error', (error) => {
      state.errored = true;
      state.firstSent ??= wsErrorStatusCode(error);
    });
    socket.on('close', (code) => this.options.onClose(code === 1006 && state.errored && state.firstSent !== undefined ? state.firstSent : code));
    if (this.overloaded) {
      this.close(socket, 1013, 'overloaded, retry later');
      return;
    }
    const scenario = params.get('scenario') ?? 'chat';
    if (scenario === 'idle') {
      // A proxy in front of this service drops idle connections after 60 s: a wall of 1006s.
      const timer = setTimeout(() => socket.terminate(), 60_000 + randomInt(state.random, 400));
      socket.once('close', () => clearTimeout(timer));
      return;
    }
    socket.on('message', (data) => this.onMessage(socket, state.random, String(data)));
  }

  private onMessage(socket: WebSocket, random: RandomSource, text: string): void {
    if (random() < this.crashRate || text === 'boom') {
      this.close(socket, 1011, random() < 0.5 ? 'internal error' : `handler failed: session ${random().toString(16).slice(2, 14)}`);
      return;
    }
    if (text.startsWith('auth:expired')) {
      this.close(socket, 1008, random() < 0.6 ? 'token expired' : `user ${1000 + randomInt(random, 9000)} banned`);
      return;
    }
    if (text === 'done') {
      this.close(socket, 1000, 'done');
      return;
    }
    if (text === 'leave-room') {
      const app = randomInt(random, 3);
      if (app === 0) this.close(socket, 4001, `room ${randomInt(random, 50)} closed`);
      else if (app === 1) this.close(socket, 4403, `user ${randomInt(random, 10_000)} kicked`);
      else this.close(socket, 4408, 'idle timeout');
      return;
    }
    socket.send(`ack ${text.length}`);
  }
}

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { instrument, type ClosewatchOptions, type Instrumentation } from '@closewatch/sdk';
import { WebSocketServer, type WebSocket } from 'ws';

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

const random = (n: number): number => Math.floor(Math.random() * n);

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

  /** A rolling restart: every open connection is told 1012 (some 1001) and the instance goes on. */
  restart(): number {
    let closed = 0;
    for (const socket of this.wss.clients) {
      if (Math.random() < 0.8) socket.close(1012, 'service restart');
      else socket.close(1001, 'server shutting down');
      closed += 1;
    }
    return closed;
  }

  /** Stops accepting, closes what is open and delivers the queued events. */
  async stop(): Promise<void> {
    for (const socket of this.wss.clients) socket.close(1001, 'demo stopping');
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const socket of this.wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    await this.instrumentation.close(10_000);
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    // When ws fails a connection (1009 too big, 1002 protocol) it sends that code but
    // emits 'close' with 1006, as no close frame comes back; the code sent is the story.
    let failedWith: number | undefined;
    socket.on('error', (error) => {
      failedWith = wsErrorStatusCode(error);
    });
    socket.on('close', (code) => this.options.onClose(code === 1006 && failedWith !== undefined ? failedWith : code));
    if (this.overloaded) {
      socket.close(1013, 'overloaded, retry later');
      return;
    }
    const scenario = new URL(request.url ?? '/', 'http://demo').searchParams.get('scenario') ?? 'chat';
    if (scenario === 'idle') {
      // A proxy in front of this service drops idle connections after 60 s: a wall of 1006s.
      const timer = setTimeout(() => socket.terminate(), 60_000 + random(400));
      socket.once('close', () => clearTimeout(timer));
      return;
    }
    socket.on('message', (data) => this.onMessage(socket, String(data)));
  }

  private onMessage(socket: WebSocket, text: string): void {
    if (Math.random() < this.crashRate || text === 'boom') {
      socket.close(1011, Math.random() < 0.5 ? 'internal error' : `handler failed: session ${Math.random().toString(16).slice(2, 14)}`);
      return;
    }
    if (text.startsWith('auth:expired')) {
      socket.close(1008, Math.random() < 0.6 ? 'token expired' : `user ${1000 + random(9000)} banned`);
      return;
    }
    if (text === 'done') {
      socket.close(1000, 'done');
      return;
    }
    if (text === 'leave-room') {
      const app = random(3);
      if (app === 0) socket.close(4001, `room ${random(50)} closed`);
      else if (app === 1) socket.close(4403, `user ${random(10_000)} kicked`);
      else socket.close(4408, 'idle timeout');
      return;
    }
    socket.send(`ack ${text.length}`);
  }
}

/**
 * A real HTTP server on loopback that speaks the collector's ingest contract, with a
 * scriptable answer per request. Only batches answered 2xx count as received.
 *
 * "Collector down" is an offline mode, not a closed server: a freed port may be taken
 * by another process at any moment, so the server keeps its port for its whole life
 * and, while offline, resets every connection the moment it is accepted.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ClosewatchEvent } from '../../src/event.js';

export interface ReceivedRequest {
  /** performance.now() when the request arrived. */
  at: number;
  headers: IncomingHttpHeaders;
  url: string;
  rawBytes: number;
  body: { events: ClosewatchEvent[]; meta: { sdk: string; dropped: number } };
  status: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Decides the answer to request number `index` (0-based); 'hang' never answers. */
export type Responder = (request: ReceivedRequest, index: number) => Answer | 'hang';

export const accept: Responder = (request) => ({
  status: 200,
  body: { accepted: request.body.events.length, duplicates: 0, rejected: [] },
});

/** One open notice as the SDK sends it to `POST /api/v1/opens`. */
export interface OpenNotice {
  id: string;
  clientKey: string;
  openedAt: number;
  service: string;
  instance: string;
  route: string;
}

/** A request to `POST /api/v1/opens`, kept apart so the event tests count only theirs. */
export interface ReceivedOpens {
  headers: IncomingHttpHeaders;
  body: { opens: OpenNotice[]; meta: { sdk: string; dropped: number } };
  status: number;
}

export class FakeCollector extends EventEmitter {
  readonly requests: ReceivedRequest[] = [];
  responder: Responder = accept;
  readonly opensRequests: ReceivedOpens[] = [];
  /** Status of the answer to `/api/v1/opens` (200 with the report by default). */
  opensStatus = 200;
  /** Connections reset because they arrived while offline. */
  resets = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private offline = false;
  private port = 0;

  private constructor() {
    super();
    this.server = this.createServer();
  }

  static async start(responder: Responder = accept): Promise<FakeCollector> {
    const collector = new FakeCollector();
    collector.responder = responder;
    collector.server.listen(0, '127.0.0.1');
    await once(collector.server, 'listening');
    collector.port = (collector.server.address() as AddressInfo).port;
    return collector;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Events of the batches answered 2xx, in arrival order. */
  get events(): ClosewatchEvent[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300).flatMap((r) => r.body.events);
  }

  /** Open notices of the requests answered 2xx, in arrival order. */
  get opens(): OpenNotice[] {
    return this.opensRequests.filter((r) => r.status >= 200 && r.status < 300).flatMap((r) => r.body.opens);
  }

  /** Resolves once `count` open notices were received (answered 2xx). */
  async waitForOpens(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = AbortSignal.timeout(timeoutMs);
    while (this.opens.length < count) {
      await once(this, 'opens', { signal: deadline }).catch(() => {
        throw new Error(`timed out waiting for ${count} open notices, got ${this.opens.length}`);
      });
    }
  }

  /** Resolves once `count` events were received (answered 2xx). */
  async waitForEvents(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = AbortSignal.timeout(timeoutMs);
    while (this.events.length < count) {
      await once(this, 'request', { signal: deadline }).catch(() => {
        throw new Error(`timed out waiting for ${count} events, got ${this.events.length}`);
      });
    }
  }

  async waitForRequests(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = AbortSignal.timeout(timeoutMs);
    while (this.requests.length < count) {
      await once(this, 'request', { signal: deadline }).catch(() => {
        throw new Error(`timed out waiting for ${count} requests, got ${this.requests.length}`);
      });
    }
  }

  /**
   * The collector is down: open connections and every new one are reset (TCP RST)
   * without an answer, so a client sees a network error. A reset rather than a plain
   * close: after a FIN the error a client sees races with its own write (and Node 20's
   * fetch has been seen to hang on it), while a reset on accept fails the connect of
   * a client in this process every time: fetch rejects with `fetch failed`, caused by
   * `connect ECONNRESET 127.0.0.1:<port>`. A client in another process may see another
   * error, or none (its fetch then hangs until its own timeout).
   */
  goOffline(): void {
    this.offline = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  /** Answers again, on the same port (it was never released). */
  goOnline(): void {
    this.offline = false;
  }

  /** Closes the server for good, at the end of a test file. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private createServer(): Server {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        // Accepted while online, read after going offline: still down.
        if (this.offline) {
          req.socket.resetAndDestroy();
          return;
        }
        const raw = Buffer.concat(chunks);
        if (req.url === '/api/v1/opens') {
          const opens: ReceivedOpens = { headers: req.headers, body: JSON.parse(raw.toString('utf8')) as ReceivedOpens['body'], status: this.opensStatus };
          this.opensRequests.push(opens);
          res.writeHead(opens.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(opens.status === 200 ? { accepted: opens.body.opens.length, duplicates: 0, rejected: [] } : { error: { code: 'DOWN', message: 'down' } }));
          this.emit('opens', opens);
          return;
        }
        const request: ReceivedRequest = {
          at: performance.now(),
          headers: req.headers,
          url: req.url ?? '',
          rawBytes: raw.length,
          body: JSON.parse(raw.toString('utf8')) as ReceivedRequest['body'],
          status: 0,
        };
        const answer = this.responder(request, this.requests.length);
        if (answer === 'hang') {
          this.requests.push(request);
          this.emit('request', request);
          return;
        }
        request.status = answer.status;
        this.requests.push(request);
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
        this.emit('request', request);
      });
    });
    // Registered after the server's own 'connection' listener, so the HTTP parser is
    // attached before the socket is reset and its teardown runs as usual.
    server.on('connection', (socket: Socket) => {
      if (this.offline) {
        this.resets++;
        socket.resetAndDestroy();
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    return server;
  }
}

/** A synthetic event with the given id, for delivery tests. */
export function fakeEvent(id: string, extra: Partial<ClosewatchEvent> = {}): ClosewatchEvent {
  return {
    id,
    ts: 1_764_000_000_000,
    code: 1000,
    reason: '',
    wasClean: true,
    initiator: 'server',
    service: 'svc',
    instance: 'i-1',
    route: '/ws',
    durationMs: 1500,
    messagesIn: 1,
    messagesOut: 2,
    bytesIn: 3,
    bytesOut: 4,
    labels: {},
    ...extra,
  };
}

/**
 * A real HTTP server on loopback that speaks the collector's ingest contract, with a
 * scriptable answer per request. Only batches answered 2xx count as received.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export class FakeCollector extends EventEmitter {
  readonly requests: ReceivedRequest[] = [];
  responder: Responder = accept;
  private server: Server;
  private port = 0;

  private constructor() {
    super();
    this.server = this.createServer();
  }

  static async start(responder: Responder = accept): Promise<FakeCollector> {
    const collector = new FakeCollector();
    collector.responder = responder;
    await collector.listen();
    return collector;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Events of the batches answered 2xx, in arrival order. */
  get events(): ClosewatchEvent[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300).flatMap((r) => r.body.events);
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

  /** Stops listening: connections are refused until `restart()`. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async restart(): Promise<void> {
    this.server = this.createServer();
    await this.listen(this.port);
  }

  private async listen(port = 0): Promise<void> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  private createServer(): Server {
    return createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
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

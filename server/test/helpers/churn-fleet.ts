import { createClient, type ClosewatchClient, type DeliveryStats } from '@closewatch/sdk';
import { WebSocket, WebSocketServer } from 'ws';
import { TEST_KEY } from './test-app.js';

export interface FleetOptions {
  collectorUrl: string;
  service: string;
  /** Instrumented ws servers, each with its own SDK client (its own queue). */
  servers: number;
  /** Client loops per server, each opening and closing one connection after another. */
  clientsPerServer: number;
  /** The SDK's queue bound. */
  maxQueue: number;
  /** Pause between one connection's close and the next one's open, in ms. */
  pauseMs?: number;
}

/** The close codes the clients end their connections with; `terminate` ends one without a close frame (1006). */
const ENDINGS = [1000, 1001, 4000, 4001, 'terminate'] as const;

/**
 * Real instrumented `ws` servers with real client churn on loopback: what a fleet of
 * services reports to a collector. Counts every close its servers saw, by code, which
 * is what the collector must end up storing.
 */
export class ChurnFleet {
  readonly clients: ClosewatchClient[] = [];
  private readonly servers: WebSocketServer[] = [];
  /** Closes the servers saw, by code. */
  readonly closedByCode = new Map<number, number>();
  private running = false;
  private loops: Array<Promise<void>> = [];
  private openSockets = 0;
  private idle: Array<() => void> = [];
  private turn = 0;

  constructor(private readonly options: FleetOptions) {}

  get closed(): number {
    let sum = 0;
    for (const n of this.closedByCode.values()) sum += n;
    return sum;
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.options.servers; i += 1) {
      const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
      const client = createClient({
        apiKey: TEST_KEY,
        collectorUrl: this.options.collectorUrl,
        service: this.options.service,
        instance: `${this.options.service}-${i}`,
        batchSize: 200,
        flushIntervalMs: 100,
        maxQueue: this.options.maxQueue,
        requestTimeoutMs: 5000,
        retryBaseDelayMs: 100,
        retryMaxDelayMs: 1000,
        onError: () => {},
      });
      client.instrument(wss);
      wss.on('connection', (socket) => {
        this.openSockets += 1;
        socket.on('message', () => socket.send('ok'));
        socket.on('close', (code) => {
          this.closedByCode.set(code, (this.closedByCode.get(code) ?? 0) + 1);
          this.openSockets -= 1;
          if (this.openSockets === 0) for (const wake of this.idle.splice(0)) wake();
        });
      });
      this.servers.push(wss);
      this.clients.push(client);
    }
    this.running = true;
    for (const wss of this.servers) {
      const { port } = wss.address() as { port: number };
      for (let c = 0; c < this.options.clientsPerServer; c += 1) this.loops.push(this.loop(port));
    }
  }

  /** Ends the churn, waits until every server saw its last close, then until each SDK delivered (or dropped) everything. */
  async stop(flushTimeoutMs = 60_000): Promise<DeliveryStats[]> {
    this.running = false;
    await Promise.all(this.loops);
    if (this.openSockets > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await Promise.all(this.clients.map((c) => c.flush(flushTimeoutMs)));
    const stats = this.clients.map((c) => c.stats());
    await Promise.all(this.clients.map((c) => c.close(1000)));
    await Promise.all(this.servers.map((wss) => new Promise((resolve) => wss.close(resolve))));
    return stats;
  }

  /** Ends everything at once, delivering nothing more (a failed test's cleanup). */
  async abort(): Promise<void> {
    this.running = false;
    await Promise.all(this.clients.map((c) => c.close(0)));
    for (const wss of this.servers) for (const socket of wss.clients) socket.terminate();
    await Promise.all(this.servers.map((wss) => new Promise((resolve) => wss.close(resolve))));
  }

  private async loop(port: number): Promise<void> {
    while (this.running) {
      const ending = ENDINGS[this.turn++ % ENDINGS.length] as (typeof ENDINGS)[number];
      await new Promise<void>((resolve) => {
        // A handshake that never completes (a very busy machine) must not stall the loop forever.
        const ws = new WebSocket(`ws://127.0.0.1:${port}/rooms/${this.turn}`, { handshakeTimeout: 30_000 });
        ws.once('open', () => ws.send('hello'));
        ws.once('message', () => (ending === 'terminate' ? ws.terminate() : ws.close(ending)));
        ws.once('close', () => resolve());
        ws.once('error', () => resolve());
      });
      await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs ?? 5));
    }
  }
}

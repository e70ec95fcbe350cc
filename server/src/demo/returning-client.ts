/**
 * A demo client that stays: it keeps a connection for a session, ends it itself and
 * comes back after a pause, and when the server closes it first it comes back after the
 * delay its population chooses. Its identity (user agent and `x-demo-client` id) is the
 * same on every connection, so the collector can match each close to its next connection.
 */
import { WebSocket } from 'ws';
import { BACK_OFF_CODES, DEMO_CLIENT_HEADER, type Population } from './populations.js';
import { randomInt, type RandomSource } from './seeded-random.js';

/** One return after a server's 1001/1012/1013, as the client lived it. */
export interface Reconnect {
  population: Population['name'];
  client: string;
  /** The code the server closed with. */
  code: number;
  /** The delay the population's policy chose, in ms. */
  scheduledMs: number;
  /** From that close to the next connection's open, as the client measured it, in ms. */
  observedMs: number;
}

export interface ReturningClientOptions {
  /** The client's identity, `<population>:<n>`. */
  id: string;
  population: Population;
  /** The URL of the next connection (any instance of the client's service). */
  nextUrl: () => string;
  /** Draws the client's delays and session lengths. */
  random: RandomSource;
  onReconnect: (reconnect: Reconnect) => void;
}

/** A session lasts 15-45 s before the client ends it (so its connection's event reaches the collector). */
const SESSION_MS = { from: 15_000, spread: 30_000 };
/** After ending a session itself, the client comes back after 2-5 s. */
const PAUSE_MS = { from: 2_000, spread: 3_000 };
/** A connection attempt that failed (refused) is retried after 1 s. */
const RETRY_MS = 1_000;
const MESSAGE_EVERY_MS = 3_000;

interface Outcome {
  opened: boolean;
  /** The code of a close the server started; undefined when the client ended it or it failed. */
  serverCode: number | undefined;
  /** performance.now() of the close. */
  closedAt: number;
}

interface PendingReturn {
  code: number;
  scheduledMs: number;
  closedAt: number;
}

export class ReturningClient {
  /** Resolves when the client stopped and its last connection closed. */
  readonly done: Promise<void>;
  private stopped = false;
  private socket: WebSocket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: ReturningClientOptions) {
    this.done = this.run();
  }

  /** Ends the client: its open connection is closed by the client (1000), no new one is made. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.close(1000, 'bye');
    await this.done;
  }

  private async run(): Promise<void> {
    const { population, random } = this.options;
    let pending: PendingReturn | undefined;
    while (!this.stopped) {
      const outcome = await this.connect(pending);
      if (this.stopped) return;
      let waitMs: number;
      if (outcome.serverCode !== undefined) {
        waitMs = population.delayMs(random);
        pending = BACK_OFF_CODES.has(outcome.serverCode) ? { code: outcome.serverCode, scheduledMs: waitMs, closedAt: outcome.closedAt } : undefined;
      } else if (!outcome.opened) {
        // Refused: try again; a pending return stays pending until a connection opens.
        waitMs = RETRY_MS;
      } else {
        pending = undefined;
        waitMs = PAUSE_MS.from + randomInt(random, PAUSE_MS.spread);
      }
      await this.sleep(waitMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  private connect(pending: PendingReturn | undefined): Promise<Outcome> {
    const { id, population, random } = this.options;
    const sessionMs = SESSION_MS.from + randomInt(random, SESSION_MS.spread);
    return new Promise((resolve) => {
      const socket = new WebSocket(this.options.nextUrl(), { headers: { 'user-agent': population.userAgent, [DEMO_CLIENT_HEADER]: id } });
      this.socket = socket;
      let opened = false;
      let endedByClient = false;
      let ticker: NodeJS.Timeout | undefined;
      let session: NodeJS.Timeout | undefined;
      const end = (): void => {
        endedByClient = true;
        socket.close(1000, 'bye');
      };
      socket.on('error', () => {});
      socket.once('open', () => {
        opened = true;
        if (this.stopped) return end();
        if (pending !== undefined) {
          const observedMs = Math.round(performance.now() - pending.closedAt);
          this.options.onReconnect({ population: population.name, client: id, code: pending.code, scheduledMs: pending.scheduledMs, observedMs });
        }
        let n = 0;
        ticker = setInterval(() => socket.send(JSON.stringify({ type: 'msg', n: n++, at: Date.now() })), MESSAGE_EVERY_MS);
        session = setTimeout(end, sessionMs);
      });
      socket.once('close', (code: number) => {
        const closedAt = performance.now();
        clearInterval(ticker);
        clearTimeout(session);
        this.socket = undefined;
        // 1006: the connection dropped (or never opened); nobody sent a close frame.
        const serverCode = opened && !endedByClient && !this.stopped && code !== 1006 ? code : undefined;
        resolve({ opened, serverCode, closedAt });
      });
    });
  }
}

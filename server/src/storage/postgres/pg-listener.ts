import type pg from 'pg';
import { createPgClient } from './pg-pool.js';

/**
 * The collector's one LISTEN connection. It reconnects by itself (growing waits up to
 * 5 s); after each reconnect `onResume` callbacks run, since notifications sent while
 * it was away are lost and whoever relies on them must catch up.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private readonly resumeHandlers = new Set<() => void>();
  private closed = false;
  private retryMs = 250;
  private connecting: Promise<void> | null = null;
  private everConnected = false;

  constructor(
    private readonly url: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Listens on `channel`; resolves once LISTEN is in place. */
  async on(channel: string, handler: (payload: string) => void): Promise<() => void> {
    let set = this.handlers.get(channel);
    const fresh = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    await this.connect();
    if (fresh && this.client) await this.client.query(`LISTEN ${channel}`);
    return () => set.delete(handler);
  }

  onResume(handler: () => void): () => void {
    this.resumeHandlers.add(handler);
    return () => this.resumeHandlers.delete(handler);
  }

  private connect(): Promise<void> {
    if (this.client !== null) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = createPgClient(this.url, 'closewatch live');
      client.on('notification', (n) => {
        for (const h of this.handlers.get(n.channel) ?? []) h(n.payload ?? '');
      });
      client.on('error', (error) => this.lost(client, error));
      client.on('end', () => this.lost(client, null));
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
      this.client = client;
      this.retryMs = 250;
      if (this.everConnected) for (const h of this.resumeHandlers) h();
      this.everConnected = true;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.closed) return;
    if (error) this.onError(error);
    const retry = (): void => {
      if (this.closed) return;
      this.connect().catch((e: unknown) => {
        this.onError(e);
        this.retryMs = Math.min(this.retryMs * 2, 5000);
        setTimeout(retry, this.retryMs).unref();
      });
    };
    setTimeout(retry, this.retryMs).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

import type pg from 'pg';
import type { Leadership, MessageBus } from '../event-tail.js';
import type { PgListener } from './pg-listener.js';
import { createPgClient } from './pg-pool.js';

const BUS_CHANNEL = 'closewatch_bus';

/** The advisory lock whose holder runs alert evaluation and notifications. */
const LEADER_LOCK = 7_202_612_012;

/**
 * Exactly one collector leads: the one whose session holds an advisory lock. The lock
 * lives as long as that session, so a collector that dies (or loses its connection)
 * frees it, and the next collector to ask (each asks once per evaluation interval) takes
 * over.
 */
export class AdvisoryLeadership implements Leadership {
  private client: pg.Client | null = null;
  private held = false;

  constructor(
    private readonly url: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  async holds(): Promise<boolean> {
    try {
      if (this.client === null) {
        const client = createPgClient(this.url, 'closewatch leader');
        client.on('error', (error) => {
          this.onError(error);
          this.drop(client);
        });
        await client.connect();
        this.client = client;
        this.held = false;
      }
      if (this.held) {
        // A session that died took the lock with it; ask it to prove it is alive.
        await this.client.query('SELECT 1');
        return true;
      }
      const result = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK]);
      this.held = result.rows[0]?.ok === true;
      return this.held;
    } catch (error) {
      this.onError(error);
      if (this.client) this.drop(this.client);
      return false;
    }
  }

  private drop(client: pg.Client): void {
    if (this.client === client) {
      this.client = null;
      this.held = false;
    }
    void client.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.held = false;
    await client?.end().catch(() => undefined);
  }
}

/** Messages through NOTIFY: every collector on the database hears each one, its sender too. */
export async function notifyBus(pool: pg.Pool, listener: PgListener): Promise<MessageBus> {
  const listeners = new Set<(message: unknown) => void>();
  await listener.on(BUS_CHANNEL, (payload) => {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    for (const l of listeners) l(message);
  });
  return {
    async publish(message) {
      await pool.query('SELECT pg_notify($1, $2)', [BUS_CHANNEL, JSON.stringify(message)]);
    },
    subscribe(subscriber) {
      listeners.add(subscriber);
      return () => listeners.delete(subscriber);
    },
  };
}

import type { EventReader } from './sql/event-reader.js';
import type { StoredEventRow } from './types.js';

/** A position in the stream of stored events: what was committed since it opened, once each. */
export interface TailCursor {
  /** Events committed since the last call (or since the cursor opened), at most `limit`, oldest first. */
  next(limit: number): Promise<StoredEventRow[]>;
  close(): void;
}

/** The live tail of the event store. */
export interface EventTail {
  /** A cursor at what is committed now. */
  open(): Promise<TailCursor>;
}

/**
 * SQLite's tail: one writer commits in seq order, so "seq above the last one seen"
 * misses nothing.
 */
export function seqTail(events: EventReader): EventTail {
  return {
    async open() {
      let after = await events.newestSeq();
      return {
        async next(limit) {
          const rows = await events.after(after, limit);
          const last = rows[rows.length - 1];
          if (last) after = last.seq;
          return rows;
        },
        close() {},
      };
    },
  };
}

/** Messages every collector of one database hears (alert changes for the dashboards' live feeds). */
export interface MessageBus {
  publish(message: object): Promise<void>;
  /** Calls `listener` with each message published from now on; returns the unsubscribe. */
  subscribe(listener: (message: unknown) => void): () => void;
}

/** One collector alone on its database: the bus is in-process. */
export function localBus(): MessageBus {
  const listeners = new Set<(message: unknown) => void>();
  return {
    async publish(message) {
      for (const l of listeners) l(message);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Whether this collector runs the singletons (alert evaluation, notifications) now. */
export interface Leadership {
  holds(): Promise<boolean>;
}

/** One collector alone on its database always leads. */
export const soleLeader: Leadership = { holds: async () => true };

import type { KeyStore } from '../keys/key-store.js';
import type { AccountStore } from './accounts/account-store.js';
import type { AlertStore } from './alerts/alert-store.js';
import type { AlertReader } from './sql/alert-reader.js';
import type { EventTail, Leadership, MessageBus } from './event-tail.js';
import type { SessionStore } from './accounts/session-store.js';
import type { EventReader } from './sql/event-reader.js';
import type { StatsReader } from './sql/stats-reader.js';
import type { BatchWriteResult, DropReportRow, StoredCloseEvent } from './types.js';

/** What `/readyz` reports of the writer. Reasons are short and carry no path or raw database error. */
export interface WriterHealth {
  ok: boolean;
  /** Why it is not ok, or null. */
  reason: string | null;
  /** Writers started after one died. */
  restarts: number;
  /** The last failure (a failed write or a writer that died), or null. */
  lastFailure: string | null;
}

/** The ingest hot path: a batch is acknowledged only after it is committed. */
export interface EventWriter {
  /** Resolves once the batch and its rollups are committed; rejects (storing nothing) otherwise. */
  write(events: ReadonlyArray<StoredCloseEvent>, drop?: DropReportRow | null): Promise<BatchWriteResult>;
  /** Whether writes can succeed now. */
  health(): Promise<WriterHealth>;
  /** Batches handed to the writer and not yet answered. */
  readonly pendingBatches: number;
  /** Committed transactions since start. */
  readonly transactions: number;
}

export interface SchemaStatus {
  /** Migrations applied to the database. */
  applied: number;
  /** Committed migrations the database lacks. */
  pending: string[];
}

/**
 * Everything the collector stores and reads. Features call these and never see a
 * database handle or SQL; `engine` is for display only.
 */
export interface Storage {
  readonly engine: 'sqlite' | 'postgres';
  readonly writer: EventWriter;
  readonly stats: StatsReader;
  readonly events: EventReader;
  /** What was committed since a moment, once each (the live feed). */
  readonly tail: EventTail;
  /** Messages to every collector on this database (alert changes). */
  readonly bus: MessageBus;
  /** Whether this collector runs alert evaluation and notifications (exactly one does). */
  readonly leader: Leadership;
  readonly keys: KeyStore;
  /** The admin account and generated secrets. */
  readonly accounts: AccountStore;
  /** Dashboard sessions (the store of @fastify/session). */
  readonly sessions: SessionStore;
  /** Alert rules, state, history, silences, targets and the notification outbox. */
  readonly alerts: AlertStore;
  /** The one-minute series alert evaluation reads. */
  readonly alertSeries: AlertReader;
  schemaStatus(): Promise<SchemaStatus>;
  /** Drains pending writes, then closes every connection. */
  close(): Promise<void>;
}

import type { KeyStore } from './keys/key-store.js';
import type { AccountStore } from './accounts/account-store.js';
import type { AlertStore } from './alerts/alert-store.js';
import type { CodeNameStore } from './codes/code-name-store.js';
import type { AlertReader } from './sql/alert-reader.js';
import type { EventTail, Leadership, MessageBus } from './event-tail.js';
import type { SessionStore } from './accounts/session-store.js';
import type { EventReader } from './sql/event-reader.js';
import type { ConnectionOpens } from './sql/connection-opens.js';
import type { ReconnectReader } from './sql/reconnect-reader.js';
import type { StatsReader } from './sql/stats-reader.js';
import type { StatusReader } from './sql/status-reader.js';
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
  /** Events committed since start (duplicates not counted). */
  readonly committedEvents: number;
  /**
   * Sums minute rollups into hour and day rows up to `until` (default: the last hour over)
   * and moves the rollup watermark there (see rollup-watermark.ts); ingest does this on its
   * own once an hour. Answers the watermark.
   */
  rollUp(until?: number): Promise<number>;
}

/** Which data a prune deletes: raw events (and drop reports), or rollups. */
export type PruneScope = 'events' | 'rollups';

/** What the last prune did, as the status page shows it. */
export interface PruneRecord {
  /** Epoch ms when it started and finished. */
  startedAt: number;
  finishedAt: number;
  /** Cut-offs it used: data older than these went. */
  eventsBefore: number;
  rollupsBefore: number;
  /** Rows deleted. */
  events: number;
  rollupRows: number;
  /** Transactions it took. */
  batches: number;
  /** Bytes given back to the file system afterwards. */
  reclaimedBytes: number;
}

/** Age-based deletion, in small batches that run between ingest transactions. */
export interface RetentionStore {
  /**
   * Deletes one batch (about `limit` rows) of `scope` data older than `before` (epoch ms)
   * from the first table that has any; resolves with the rows deleted, 0 once none is left.
   */
  pruneBatch(scope: PruneScope, before: number, limit: number): Promise<number>;
  /** One small step of giving freed space back to the file system: bytes given back, 0 when none is left (or the engine does it itself). */
  reclaimStep(): Promise<number>;
  /** The last prune recorded (kept in the database, so it survives restarts), or null. */
  lastPrune(): Promise<PruneRecord | null>;
  recordPrune(record: PruneRecord): Promise<void>;
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
  /** Connections' openings as the server SDK reports them (matched as reconnects before they close). */
  readonly opens: ConnectionOpens;
  readonly stats: StatsReader;
  /** Reconnect-advising closes matched to each client's next connection. */
  readonly reconnects: ReconnectReader;
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
  /** Teams' own names of close codes 3000-4999. */
  readonly codeNames: CodeNameStore;
  /** The one-minute series alert evaluation reads. */
  readonly alertSeries: AlertReader;
  /** Data past retention, deleted in batches. */
  readonly retention: RetentionStore;
  /** Sizes, row counts and the oldest data, for the status page. */
  readonly status: StatusReader;
  schemaStatus(): Promise<SchemaStatus>;
  /** Drains pending writes, then closes every connection. */
  close(): Promise<void>;
}

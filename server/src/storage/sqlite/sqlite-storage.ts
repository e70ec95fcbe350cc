import { KeyStore } from '../keys/key-store.js';
import { AccountStore } from '../accounts/account-store.js';
import { SessionStore } from '../accounts/session-store.js';
import { AlertStore } from '../alerts/alert-store.js';
import { CodeNameStore } from '../codes/code-name-store.js';
import { AlertReader } from '../sql/alert-reader.js';
import { sqlitePathFromUrl } from '../database-url.js';
import { sqliteDialect } from '../sql/dialect.js';
import { EventReader } from '../sql/event-reader.js';
import { ConnectionOpens } from '../sql/connection-opens.js';
import { Retention } from '../sql/retention.js';
import { ReconnectReader } from '../sql/reconnect-reader.js';
import { StatsReader } from '../sql/stats-reader.js';
import { StatusReader } from '../sql/status-reader.js';
import type { Storage } from '../storage.js';
import { localBus, seqTail, soleLeader } from '../event-tail.js';
import { pendingMigrations } from './migrations.js';
import { createPrismaClient } from './prisma-client.js';
import { ensureIncrementalVacuum } from './incremental-vacuum.js';
import { ReadPool } from './read-pool.js';
import { createSchemaStatus } from './schema-status.js';
import { ThreadedWriter } from './threaded-writer.js';
import { newGateBuffer } from './wal-gate.js';

export interface SqliteStorageOptions {
  /** `file:` URL of the database (or `postgresql://`, through openStorage). */
  url: string;
  /** Heap limit of the writer thread, in MB. */
  writerHeapMb: number;
  /** Distinct routes kept per service and hour; more are stored as `(other)`. */
  maxRoutesPerServiceHour: number;
  /** Bounds of the writer's queue: batches, and estimated bytes. */
  maxQueuedBatches: number;
  maxQueuedBytes: number;
  /** Read worker threads. */
  readWorkers: number;
  /** Niceness of the read threads on Linux (0, the default, leaves them as the writer). */
  readNice?: number;
  /** WAL size past which new reads wait for it to start over (see wal-gate.ts), in MiB. Default 128. */
  walLimitMb?: number;
  /** Budget of one read, in ms. */
  readBudgetMs: number;
  /** The clock of the key cache. */
  clock?: () => number;
  /** Row mappers the read threads may apply (name -> module URL; see RowMapperModule). */
  rowMappers?: Record<string, string>;
  /** Receives failures of the writer and read threads, with their full detail. */
  onFailure?: (message: string, error: unknown) => void;
  /** Receives notes on one-time work done at open (the switch to incremental vacuum). */
  log?: (line: string) => void;
}

/** Pages one reclaim step gives back (4 MiB at the default page size): a few ms of the writer's time. */
const RECLAIM_PAGES_PER_STEP = 1024;

/**
 * The embedded engine: one SQLite file in WAL mode. Ingest writes on a writer thread,
 * reads run on read-only connections of a pool of worker threads, and Prisma serves
 * keys and the rest.
 *
 * @throws {Error} when the file lacks migrations (the collector applies them before it opens).
 */
export async function openSqliteStorage(options: SqliteStorageOptions): Promise<Storage> {
  const path = sqlitePathFromUrl(options.url);
  const pending = pendingMigrations(options.url);
  if (pending.length > 0) {
    throw new Error(`the database lacks migrations ${pending.join(', ')}; run \`npm run db:migrate\` (npm start does it for you)`);
  }
  ensureIncrementalVacuum(path, options.log);
  const prisma = createPrismaClient(options.url);
  await prisma.$connect();
  const walGate = newGateBuffer();
  const writer = new ThreadedWriter(path, {
    walGate,
    walLimitBytes: (options.walLimitMb ?? 128) * 1024 * 1024,
    heapLimitMb: options.writerHeapMb,
    maxRoutesPerServiceHour: options.maxRoutesPerServiceHour,
    maxQueuedBatches: options.maxQueuedBatches,
    maxQueuedBytes: options.maxQueuedBytes,
    onFailure: options.onFailure,
  });
  try {
    await writer.started();
  } catch (error) {
    await writer.close().catch(() => undefined);
    await prisma.$disconnect();
    throw error;
  }
  const reads = new ReadPool(path, { size: options.readWorkers, budgetMs: options.readBudgetMs, onFailure: options.onFailure, mappers: options.rowMappers ?? {}, nice: options.readNice ?? 0, walGate });
  const run = (query: Parameters<ReadPool['run']>[0]) => reads.run(query);
  const events = new EventReader(sqliteDialect, run, (query) => reads.runRaw(query), (query, mapper) => reads.runMapped(query, mapper));
  return {
    engine: 'sqlite',
    writer,
    opens: new ConnectionOpens((opens) => writer.writeOpens(opens)),
    stats: new StatsReader(sqliteDialect, run),
    reconnects: new ReconnectReader(sqliteDialect, run),
    events,
    tail: seqTail(events),
    bus: localBus(),
    leader: soleLeader,
    keys: new KeyStore(prisma, options.clock),
    accounts: new AccountStore(prisma),
    sessions: new SessionStore(prisma, options.clock),
    alerts: new AlertStore(prisma, options.clock),
    codeNames: new CodeNameStore(prisma),
    alertSeries: new AlertReader(sqliteDialect, run),
    retention: new Retention((statement) => writer.exec(statement), run, () => writer.reclaim(RECLAIM_PAGES_PER_STEP)),
    status: new StatusReader(sqliteDialect, run),
    schemaStatus: createSchemaStatus(prisma),
    async close() {
      await writer.close();
      await reads.close();
      await prisma.$disconnect();
    },
  };
}

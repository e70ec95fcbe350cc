import { KeyStore } from '../keys/key-store.js';
import { AccountStore } from '../accounts/account-store.js';
import { SessionStore } from '../accounts/session-store.js';
import { AlertStore } from '../alerts/alert-store.js';
import { CodeNameStore } from '../codes/code-name-store.js';
import { ReadTimeoutError } from '../errors.js';
import { AlertReader } from '../sql/alert-reader.js';
import { ConnectionOpens } from '../sql/connection-opens.js';
import { Retention, type RunMaintenance } from '../sql/retention.js';
import { StatusReader } from '../sql/status-reader.js';
import { postgresDialect } from '../sql/dialect.js';
import { EventReader } from '../sql/event-reader.js';
import { ReconnectReader } from '../sql/reconnect-reader.js';
import { StatsReader } from '../sql/stats-reader.js';
import { sql, type Sql } from '../sql/template.js';
import type { RowMapperModule } from '../sqlite/read-protocol.js';
import type { Storage } from '../storage.js';
import { AdvisoryLeadership, notifyBus } from './pg-coordination.js';
import { PgListener } from './pg-listener.js';
import { createPgPool, sqlState } from './pg-pool.js';
import { notifyTail } from './pg-tail.js';
import { PostgresWriter } from './pg-writer.js';
import { createPostgresPrismaClient } from './prisma-client.js';
import { committedPostgresMigrations, pendingOn } from './migrations.js';

export interface PostgresStorageOptions {
  /** `postgresql://` URL. */
  url: string;
  maxRoutesPerServiceHour: number;
  maxQueuedBatches: number;
  maxQueuedBytes: number;
  /** Connections for reads (READ_WORKERS x 2). */
  readConnections: number;
  /** Budget of one read, in ms (statement_timeout). */
  readBudgetMs: number;
  clock?: () => number;
  /** Row mappers the export may use (name -> module URL; see RowMapperModule). */
  rowMappers?: Record<string, string>;
  onFailure?: (message: string, error: unknown) => void;
}

/**
 * PostgreSQL: several collectors share one database. Ingest group-commits on a writer
 * connection, reads run on a pool whose statements end at the read budget, the live tail
 * and alert messages come through LISTEN/NOTIFY, and an advisory lock elects the one
 * collector that evaluates alerts.
 *
 * @throws {Error} when the database lacks migrations (the collector applies them before it opens).
 */
export async function openPostgresStorage(options: PostgresStorageOptions): Promise<Storage> {
  const fail = (what: string) => (error: unknown) => options.onFailure?.(what, error);
  const reads = createPgPool({
    url: options.url,
    max: options.readConnections,
    statementTimeoutMs: options.readBudgetMs,
    applicationName: 'closewatch reads',
    // Rollup reads group tens of thousands of rows: starting parallel workers for them
    // (the default setup cost of 1000 lets the planner) cost more than the work, 15-30 ms a
    // read on bench:query. Scans of raw events (instance and label filters) still go parallel.
    // JIT off: the reconnect matching's per-close subqueries give plans a cost far above
    // jit_above_cost, and compiling them took 4.9 of a 4.93 s read (1M events, 1 h window).
    settings: { parallel_setup_cost: 20_000, jit: 'off' },
    onError: fail('a PostgreSQL read connection failed'),
  });
  const writes = createPgPool({ url: options.url, max: 2, applicationName: 'closewatch ingest', onError: fail('a PostgreSQL write connection failed') });
  const check = await reads.connect();
  try {
    const pending = await pendingOn(check);
    if (pending.length > 0) throw new Error(`the database lacks migrations ${pending.join(', ')}; start the collector (it applies them) or run \`npm run db:migrate\``);
  } finally {
    check.release();
  }
  const prisma = createPostgresPrismaClient(options.url);
  await prisma.$connect();
  const listener = new PgListener(options.url, fail('the PostgreSQL LISTEN connection failed'));
  const leadership = new AdvisoryLeadership(options.url, fail('the PostgreSQL leader lock connection failed'));
  const writer = new PostgresWriter(writes, {
    maxRoutesPerServiceHour: options.maxRoutesPerServiceHour,
    maxQueuedBatches: options.maxQueuedBatches,
    maxQueuedBytes: options.maxQueuedBytes,
    onFailure: options.onFailure,
  });

  const overBudget = (error: unknown): Error => (sqlState(error) === '57014' ? new ReadTimeoutError(options.readBudgetMs) : (error as Error));
  const run = async (query: Sql): Promise<Array<Record<string, unknown>>> => {
    try {
      return (await reads.query(query.text, query.values)).rows as Array<Record<string, unknown>>;
    } catch (error) {
      throw overBudget(error);
    }
  };
  const runRaw = async (query: Sql): Promise<unknown[][]> => {
    try {
      return (await reads.query({ text: query.text, values: query.values, rowMode: 'array' })).rows as unknown[][];
    } catch (error) {
      throw overBudget(error);
    }
  };
  const mappers = new Map<string, Promise<RowMapperModule>>();
  const runMapped = async (query: Sql, name: string): Promise<{ text: string; rows: number }> => {
    let mapper = mappers.get(name);
    if (mapper === undefined) {
      const url = options.rowMappers?.[name];
      if (url === undefined) throw new Error(`no row mapper named ${name}`);
      mapper = import(url) as Promise<RowMapperModule>;
      mappers.set(name, mapper);
    }
    const rows = await runRaw(query);
    return { text: (await mapper).mapRows(rows), rows: rows.length };
  };
  const events = new EventReader(postgresDialect, run, runRaw, runMapped, 5_000);
  const bus = await notifyBus(writes, listener);
  const expected = committedPostgresMigrations();
  // Prunes run on the write pool beside ingest; each is a short transaction of its own.
  const maintain: RunMaintenance = async (statement) => (await writes.query(statement.text, statement.values)).rowCount ?? 0;

  return {
    engine: 'postgres',
    writer,
    opens: new ConnectionOpens((opens) => writer.writeOpens(opens)),
    stats: new StatsReader(postgresDialect, run),
    reconnects: new ReconnectReader(postgresDialect, run),
    events,
    tail: notifyTail(reads, listener),
    bus,
    leader: leadership,
    keys: new KeyStore(prisma, options.clock),
    accounts: new AccountStore(prisma),
    sessions: new SessionStore(prisma, options.clock),
    alerts: new AlertStore(prisma, options.clock),
    codeNames: new CodeNameStore(prisma),
    alertSeries: new AlertReader(postgresDialect, run),
    retention: new Retention(maintain, run, async () => 0),
    status: new StatusReader(postgresDialect, run),
    async schemaStatus() {
      const rows = await run(sql`SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`);
      const done = new Set(rows.map((r) => String(r.name)));
      return { applied: done.size, pending: expected.filter((m) => !done.has(m)) };
    },
    async close() {
      await writer.close();
      await listener.close();
      await leadership.close();
      await prisma.$disconnect();
      await Promise.all([reads.end(), writes.end()]);
    },
  };
}

import fp from 'fastify-plugin';
import { KeyStore } from '../keys/key-store.js';
import { sqlitePathFromUrl } from '../storage/database-url.js';
import { pendingMigrations } from '../storage/migrations.js';
import { openSqlite, type SqliteDatabase } from '../storage/open-sqlite.js';
import { createPrismaClient, type PrismaClient } from '../storage/prisma-client.js';
import { createSchemaStatus, type SchemaStatus } from '../storage/schema-status.js';
import { ThreadedWriter } from '../storage/threaded-writer.js';

export interface Database {
  /** Path of the SQLite file. */
  path: string;
  /** Prisma: schema owner and every query but the ingest hot path. */
  prisma: PrismaClient;
  /** A better-sqlite3 connection on the main thread, for reads that need raw speed. */
  sqlite: SqliteDatabase;
  /** The ingest hot path: group-committed writes on a writer thread. */
  writer: ThreadedWriter;
  keys: KeyStore;
  /** Applied and pending migrations, read on the open connections (for /readyz). */
  schemaStatus: () => Promise<SchemaStatus>;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

/**
 * Opens the database once for the whole app and closes it last: pending ingest
 * transactions are drained before the connections close, so nothing acknowledged is lost.
 */
export interface DatabasePluginOptions {
  /** The clock of the key cache (tests move it past the revocation window). Default `Date.now`. */
  clock?: () => number;
}

export default fp<DatabasePluginOptions>(
  async (fastify, opts) => {
    const url = fastify.config.DATABASE_URL;
    const path = sqlitePathFromUrl(url);
    const pending = pendingMigrations(url);
    if (pending.length > 0) {
      throw new Error(`the database at ${path} lacks migrations ${pending.join(', ')}; run \`npm run db:migrate\` (npm start does it for you)`);
    }
    const sqlite = openSqlite(path);
    const prisma = createPrismaClient(url);
    await prisma.$connect();
    const writer = new ThreadedWriter(path, {
      heapLimitMb: fastify.config.WRITER_HEAP_MB,
      onFailure: (reason, error) => fastify.log.error({ err: error, reason }, 'the ingest writer failed'),
    });
    fastify.decorate('db', { path, prisma, sqlite, writer, keys: new KeyStore(prisma, opts.clock), schemaStatus: createSchemaStatus(sqlite, prisma) });
    fastify.addHook('onClose', async () => {
      await writer.close();
      await prisma.$disconnect();
      sqlite.close();
    });
  },
  { name: 'database', dependencies: ['config'] },
);

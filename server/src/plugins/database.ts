import fp from 'fastify-plugin';
import { KeyStore } from '../keys/key-store.js';
import { sqlitePathFromUrl } from '../storage/database-url.js';
import { pendingMigrations } from '../storage/migrations.js';
import { openSqlite, type SqliteDatabase } from '../storage/open-sqlite.js';
import { createPrismaClient, type PrismaClient } from '../storage/prisma-client.js';
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
export default fp(
  async (fastify) => {
    const url = fastify.config.DATABASE_URL;
    const path = sqlitePathFromUrl(url);
    const pending = pendingMigrations(url);
    if (pending.length > 0) {
      throw new Error(`the database at ${path} lacks migrations ${pending.join(', ')}; run \`npm run db:migrate\` (npm start does it for you)`);
    }
    const sqlite = openSqlite(path);
    const prisma = createPrismaClient(url);
    await prisma.$connect();
    const writer = new ThreadedWriter(path);
    fastify.decorate('db', { path, prisma, sqlite, writer, keys: new KeyStore(prisma) });
    fastify.addHook('onClose', async () => {
      await writer.close();
      await prisma.$disconnect();
      sqlite.close();
    });
  },
  { name: 'database', dependencies: ['config'] },
);

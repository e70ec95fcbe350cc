import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../generated/prisma/client.js';
import { sqlitePathFromUrl } from '../database-url.js';

export type { PrismaClient };

/** A Prisma client on the Rust-free engine, talking to SQLite through better-sqlite3. */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  const adapter = new PrismaBetterSQLite3({ url: `file:${sqlitePathFromUrl(databaseUrl)}`, timeout: 5000 });
  return new PrismaClient({ adapter });
}

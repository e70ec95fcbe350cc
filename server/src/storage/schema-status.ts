import { committedMigrations } from './migrations.js';
import type { SqliteDatabase } from './open-sqlite.js';
import type { PrismaClient } from './prisma-client.js';

export interface SchemaStatus {
  /** Migrations applied to the database. */
  applied: number;
  /** Committed migrations the database lacks. */
  pending: string[];
}

/**
 * The readiness read: which committed migrations the database has, asked on the open
 * connections (the better-sqlite3 one and Prisma's), so a probe opens no file. The
 * migrations on disk do not change while the collector runs, so they are read once.
 */
export function createSchemaStatus(sqlite: SqliteDatabase, prisma: PrismaClient): () => Promise<SchemaStatus> {
  const expected = committedMigrations();
  const applied = sqlite.prepare<[], { name: string }>(
    'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  return async () => {
    const done = new Set(applied.all().map((r) => r.name));
    await prisma.$queryRaw`SELECT 1`;
    return { applied: done.size, pending: expected.filter((m) => !done.has(m)) };
  };
}

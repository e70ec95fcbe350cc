import type { SchemaStatus } from '../storage.js';
import { committedMigrations } from './migrations.js';
import type { PrismaClient } from './prisma-client.js';

/**
 * The readiness read: which committed migrations the database has, asked on the open
 * Prisma connection, so a probe opens no file. The migrations on disk do not change
 * while the collector runs, so they are read once.
 */
export function createSchemaStatus(prisma: PrismaClient): () => Promise<SchemaStatus> {
  const expected = committedMigrations();
  return async () => {
    const rows = await prisma.$queryRaw<Array<{ name: string }>>`
      SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const done = new Set(rows.map((r) => r.name));
    return { applied: done.size, pending: expected.filter((m) => !done.has(m)) };
  };
}

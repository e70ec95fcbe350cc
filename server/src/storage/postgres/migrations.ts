import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../database-url.js';
import { createPgClient, type PgClient } from './pg-pool.js';

const MIGRATIONS_DIR = join(REPO_ROOT, 'prisma', 'postgres', 'migrations');

/** Any number, as long as every collector uses the same: the lock that serialises migrations. */
const MIGRATION_LOCK = 7_202_612_011;

/** Names of the committed PostgreSQL migrations, in the order they apply. */
export function committedPostgresMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

// The table `prisma migrate` keeps, exactly as Prisma creates it, so `prisma migrate
// status` reads what was applied here.
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Committed migrations the database lacks, asked on an open connection. */
export async function pendingOn(client: PgClient): Promise<string[]> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  const all = committedPostgresMigrations();
  if (exists.rows[0]?.t === null || exists.rows[0]?.t === undefined) return all;
  const rows = await client.query<{ name: string }>(
    'SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const applied = new Set(rows.rows.map((r) => r.name));
  return all.filter((m) => !applied.has(m));
}

/**
 * Applies pending migrations. Prisma's JS schema engine cannot run `migrate deploy`
 * against PostgreSQL offline (platform notes), so each migration's SQL runs here in one
 * transaction with its `_prisma_migrations` row (checksum: SHA-256 of the file, as
 * Prisma computes it), so `prisma migrate status` stays truthful. An advisory lock
 * makes collectors starting together apply each migration once.
 */
export async function applyPostgresMigrations(url: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const client = createPgClient(url, 'closewatch migrations');
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(MIGRATIONS_TABLE);
    const pending = await pendingOn(client);
    if (pending.length > 0) log(`applying ${pending.length} PostgreSQL migration(s): ${pending.join(', ')}`);
    for (const name of pending) {
      const bytes = readFileSync(join(MIGRATIONS_DIR, name, 'migration.sql'));
      const checksum = createHash('sha256').update(bytes).digest('hex');
      await client.query('BEGIN');
      try {
        await client.query(bytes.toString('utf8'));
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, NULL, now(), 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`PostgreSQL migration ${name} failed (nothing of it was applied): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (pending.length > 0) log('PostgreSQL migrations applied');
    return pending;
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await client.end();
  }
}

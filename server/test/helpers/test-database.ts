import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { REPO_ROOT } from '../../src/storage/database-url.js';
import { applyPostgresMigrations, committedPostgresMigrations } from '../../src/storage/postgres/migrations.js';
import { applyMigrations, committedMigrations } from '../../src/storage/sqlite/migrations.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

/** The engine the suites run on: `CLOSEWATCH_TEST_ENGINE=postgres` (npm run test:postgres sets it) or SQLite. */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.CLOSEWATCH_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  engine: 'sqlite' | 'postgres';
  /** `file:` URL of a fresh SQLite file, or `postgresql://` URL of a fresh database, with every migration applied. */
  url: string;
  /** The SQLite file ('' on PostgreSQL). */
  path: string;
  /** Removes the file and its folder, or drops the database. */
  cleanup(): Promise<void>;
}

function migrationsHash(dir: string, names: readonly string[]): string {
  const hash = createHash('sha256');
  for (const name of names) hash.update(name).update(readFileSync(join(dir, name, 'migration.sql')));
  return hash.digest('hex').slice(0, 16);
}

async function createSqliteDatabase(): Promise<TestDatabase> {
  const hash = migrationsHash(join(REPO_ROOT, 'prisma', 'migrations'), committedMigrations());
  const template = join(tmpdir(), `closewatch-template-${hash}.db`);
  if (!existsSync(template)) {
    const building = `${template}.${process.pid}.building`;
    await applyMigrations(`file:${building}`);
    renameSync(building, template);
  }
  const dir = mkdtempSync(join(tmpdir(), 'closewatch-test-'));
  const path = join(dir, 'closewatch.db');
  copyFileSync(template, path);
  return { engine: 'sqlite', url: `file:${path}`, path, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

let ownCluster: Promise<PostgresCluster> | null = null;

/** The cluster of this run: CLOSEWATCH_TEST_PG_URL (the runner's), or one this process starts and stops at exit. */
async function clusterAdminUrl(): Promise<{ adminUrl: string; urlOf: (db: string) => string }> {
  const given = process.env.CLOSEWATCH_TEST_PG_URL;
  if (given !== undefined && given !== '') {
    const base = new URL(given);
    return { adminUrl: given, urlOf: (db) => Object.assign(new URL(base), { pathname: `/${db}` }).toString() };
  }
  ownCluster ??= startPostgresCluster().then((cluster) => {
    process.once('exit', () => cluster.stop());
    return cluster;
  });
  return ownCluster;
}

async function createPostgresDatabase(migrated: boolean): Promise<TestDatabase> {
  const cluster = await clusterAdminUrl();
  const template = `cw_template_${migrationsHash(join(REPO_ROOT, 'prisma', 'postgres', 'migrations'), committedPostgresMigrations())}`;
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  try {
    // Test files run one after another; the lock covers runs that share a cluster.
    await admin.query('SELECT pg_advisory_lock(4242)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${template}`);
      await applyPostgresMigrations(cluster.urlOf(template));
    }
    const name = `cw_test_${randomBytes(6).toString('hex')}`;
    await admin.query(migrated ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
    await admin.query('SELECT pg_advisory_unlock(4242)');
    return {
      engine: 'postgres',
      url: cluster.urlOf(name),
      path: '',
      async cleanup() {
        const c = new pg.Client({ connectionString: cluster.adminUrl });
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await c.end();
        }
      },
    };
  } finally {
    await admin.end();
  }
}

/**
 * A fresh migrated database for one test file, on the engine of the run. SQLite: a copy
 * of a template file migrated once per set of migrations. PostgreSQL: a database made from
 * a migrated template database of the run's throwaway cluster (or an empty one, with
 * `migrated: false`, for what a first start does).
 */
export function createTestDatabase(engine: 'sqlite' | 'postgres' = TEST_ENGINE, options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  return engine === 'postgres' ? createPostgresDatabase(options.migrated ?? true) : createSqliteDatabase();
}

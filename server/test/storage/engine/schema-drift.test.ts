import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../../src/storage/database-url.js';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../../helpers/test-database.js';

// One data model, two providers: prisma/postgres/schema.prisma is generated from
// prisma/schema.prisma, and each engine's migrations must give exactly its schema.

test('the PostgreSQL schema is the one prisma/schema.prisma gives', () => {
  const check = spawnSync(process.execPath, [join(REPO_ROOT, 'prisma', 'generate-postgres-schema.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
});

/** Tables, columns and indexes of a database, in a form that compares (Prisma's own bookkeeping left out). */
async function catalog(db: TestDatabase): Promise<string[]> {
  if (db.engine === 'sqlite') {
    const sqlite = new Database(db.path, { readonly: true });
    try {
      const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name").all() as Array<{ name: string }>;
      const columns = tables.flatMap(({ name }) =>
        (sqlite.prepare(`PRAGMA table_info("${name}")`).all() as Array<Record<string, unknown>>).map((c) => `${name}.${String(c.name)} ${String(c.type)} notnull=${String(c.notnull)} default=${String(c.dflt_value)} pk=${String(c.pk)}`),
      );
      const indexes = (sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as Array<{ sql: string }>).map((i) => i.sql.replace(/\s+/g, ' '));
      return [...columns, ...indexes];
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const columns = await client.query(`SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS c
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`);
    const indexes = await client.query("SELECT indexdef AS c FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname");
    const constraints = await client.query(`SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) AS c FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"') ORDER BY 1`);
    return [...columns.rows, ...indexes.rows, ...constraints.rows].map((r: { c: string }) => r.c);
  } finally {
    await client.end();
  }
}

test(`the ${TEST_ENGINE} migrations give exactly the schema, and prisma migrate status says so`, { timeout: 120_000 }, async () => {
  const migrated = await createTestDatabase();
  const fresh = await createTestDatabase();
  try {
    const prisma = join(REPO_ROOT, 'node_modules', '.bin', 'prisma');
    const env = { ...process.env, DATABASE_URL: migrated.url, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
    const status = spawnSync(prisma, ['migrate', 'status'], { cwd: REPO_ROOT, env, encoding: 'utf8' });
    assert.equal(status.status, 0, status.stdout + status.stderr);
    assert.match(status.stdout, /Database schema is up to date!/);

    // The schema's whole DDL as Prisma writes it today, into a database emptied first.
    const schema = join(REPO_ROOT, 'prisma', ...(migrated.engine === 'postgres' ? ['postgres'] : []), 'schema.prisma');
    const ddl = spawnSync(prisma, ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', schema, '--script'], { cwd: REPO_ROOT, env, encoding: 'utf8' });
    assert.equal(ddl.status, 0, ddl.stderr);
    await emptyAndRun(fresh, ddl.stdout);
    assert.deepEqual(await catalog(migrated), await catalog(fresh), 'the migrations and prisma/*schema.prisma disagree: write a migration for the change');
  } finally {
    await migrated.cleanup();
    await fresh.cleanup();
  }
});

/** Drops every table of the database, then runs `script`. */
async function emptyAndRun(db: TestDatabase, script: string): Promise<void> {
  if (db.engine === 'sqlite') {
    const sqlite = new Database(db.path);
    try {
      const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
      for (const { name } of tables) sqlite.exec(`DROP TABLE "${name}"`);
      sqlite.exec(script);
    } finally {
      sqlite.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await client.query(script);
  } finally {
    await client.end();
  }
}

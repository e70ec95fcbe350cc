import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/storage/database-url.js';
import { applyMigrations, committedMigrations } from '../../src/storage/sqlite/migrations.js';

export interface TestDatabase {
  /** `file:` URL of a fresh SQLite file with every migration applied. */
  url: string;
  path: string;
  /** Removes the file and its folder. */
  cleanup(): void;
}

/**
 * A fresh migrated SQLite file for one test file. `prisma migrate deploy` runs once
 * per set of migrations into a template; each test file gets a copy of it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const hash = createHash('sha256');
  for (const name of committedMigrations()) {
    hash.update(name).update(readFileSync(join(REPO_ROOT, 'prisma', 'migrations', name, 'migration.sql')));
  }
  const template = join(tmpdir(), `closewatch-template-${hash.digest('hex').slice(0, 16)}.db`);
  if (!existsSync(template)) {
    const building = `${template}.${process.pid}.building`;
    await applyMigrations(`file:${building}`);
    renameSync(building, template);
  }
  const dir = mkdtempSync(join(tmpdir(), 'closewatch-test-'));
  const path = join(dir, 'closewatch.db');
  copyFileSync(template, path);
  return { url: `file:${path}`, path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

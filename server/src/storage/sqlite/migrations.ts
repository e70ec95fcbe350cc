import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT, sqlitePathFromUrl } from '../database-url.js';

const MIGRATIONS_DIR = join(REPO_ROOT, 'prisma', 'migrations');
const PRISMA_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'prisma');

/** Names of the committed migrations, in the order Prisma applies them. */
export function committedMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Migrations committed to the repository but not (successfully) applied to the database. */
export function pendingMigrations(databaseUrl: string): string[] {
  const path = sqlitePathFromUrl(databaseUrl);
  const all = committedMigrations();
  if (!existsSync(path)) return all;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (table === undefined) return all;
    const rows = db
      .prepare('SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')
      .all() as Array<{ name: string }>;
    const applied = new Set(rows.map((r) => r.name));
    return all.filter((m) => !applied.has(m));
  } finally {
    db.close();
  }
}

/**
 * Applies pending migrations with Prisma's own `migrate deploy` (Prisma owns the
 * migrations; the collector only makes sure they ran before it serves).
 *
 * @param log receives progress lines
 */
export async function applyMigrations(databaseUrl: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const pending = pendingMigrations(databaseUrl);
  if (pending.length === 0) return [];
  log(`applying ${pending.length} database migration(s) to ${sqlitePathFromUrl(databaseUrl)}: ${pending.join(', ')}`);
  createIncrementalFile(sqlitePathFromUrl(databaseUrl));
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(PRISMA_BIN, ['migrate', 'deploy'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: `file:${sqlitePathFromUrl(databaseUrl)}`, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  const still = pendingMigrations(databaseUrl);
  if (code !== 0 || still.length > 0) {
    throw new Error(
      `database migration failed (prisma migrate deploy exited ${String(code)}); pending: ${still.join(', ') || 'none'}\n${output.join('').trim()}`,
    );
  }
  log('database migrations applied');
  return pending;
}

/**
 * A new database file is made here, before Prisma creates its tables, with
 * auto_vacuum=INCREMENTAL (it can only be chosen before the first table, or by a full
 * VACUUM later) and WAL, so pruned space can go back to the disk from the first day.
 */
function createIncrementalFile(path: string): void {
  if (existsSync(path) && statSync(path).size > 0) return;
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    // Switching to WAL writes the header, which keeps the auto_vacuum choice.
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}

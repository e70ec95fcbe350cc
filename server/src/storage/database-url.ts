import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: relative `file:` URLs resolve against it, as Prisma's CLI does. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Turns a `DATABASE_URL` (`file:./data/closewatch.db`, `file:/abs/x.db`) into the
 * file path better-sqlite3 opens.
 *
 * @throws {Error} For URLs of other databases: only SQLite is supported so far.
 */
export function sqlitePathFromUrl(url: string): string {
  if (!url.startsWith('file:')) {
    throw new Error(`DATABASE_URL must be a SQLite "file:" URL (got "${url}"); for example file:./data/closewatch.db`);
  }
  const path = url.slice('file:'.length).split('?')[0] ?? '';
  if (path === '') throw new Error('DATABASE_URL names no file; for example file:./data/closewatch.db');
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
}

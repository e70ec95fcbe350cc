import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: relative `file:` URLs resolve against it, as Prisma's CLI does. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Which engine a `DATABASE_URL` names: `file:` is SQLite, `postgres://` or `postgresql://` PostgreSQL. */
export function engineOf(url: string): 'sqlite' | 'postgres' {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/** The URL with its password hidden, for logs and errors. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/**
 * Turns a `DATABASE_URL` (`file:./data/closewatch.db`, `file:/abs/x.db`) into the
 * file path better-sqlite3 opens.
 *
 * @throws {Error} For URLs of other databases.
 */
export function sqlitePathFromUrl(url: string): string {
  if (!url.startsWith('file:')) {
    throw new Error(`DATABASE_URL must be a SQLite "file:" URL (got "${url}"); for example file:./data/closewatch.db`);
  }
  const path = url.slice('file:'.length).split('?')[0] ?? '';
  if (path === '') throw new Error('DATABASE_URL names no file; for example file:./data/closewatch.db');
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
}

import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { sqlitePathFromUrl } from '../database-url.js';
import { openSqlite } from './open-sqlite.js';

export interface BackupResult {
  /** The copy's path. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
  /** Pages copied. */
  pages: number;
  /** What SQLite's quick_check said of the copy: `ok`. */
  check: string;
}

/** All of the database in one step of the backup API: see `backupSqlite`. */
const ALL_PAGES = 0x7fffffff;

/**
 * A consistent copy of the live SQLite database at `databaseUrl` in `target`, made with
 * SQLite's online backup API while the collector keeps ingesting.
 *
 * The copy is made in one step, that is one read transaction: in WAL mode it blocks no
 * writer, and it holds exactly the transactions committed when it began (every batch
 * acknowledged by then, none half). A copy in several steps would restart whenever the
 * collector commits between two of them, which under steady ingest is always. The copy
 * is written beside `target`, checked with `PRAGMA quick_check`, and only then renamed
 * to `target` (its folder is made when missing), so a failed backup never leaves a half
 * file under that name.
 *
 * @param onStart receives the size of what is about to be copied, in bytes
 * @throws {Error} when the database does not exist, `target` exists, or the copy fails its check
 */
export async function backupSqlite(databaseUrl: string, target: string, onStart: (bytes: number) => void = () => {}): Promise<BackupResult> {
  const source = sqlitePathFromUrl(databaseUrl);
  if (!existsSync(source)) throw new Error(`there is no database at ${source} (DATABASE_URL is ${databaseUrl}); is it the collector's DATABASE_URL?`);
  if (existsSync(target)) throw new Error(`${target} exists; give a new file name (a backup never overwrites one)`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  const db = openSqlite(source, { readonly: true });
  try {
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    onStart(Number(db.pragma('page_count', { simple: true })) * pageSize);
    const progress = await db.backup(partial, { progress: () => ALL_PAGES });
    // Read-write, so that closing it removes the -wal and -shm files the check made.
    const copy = openSqlite(partial);
    let check: string;
    try {
      check = String(copy.pragma('quick_check', { simple: true }));
    } finally {
      copy.close();
    }
    if (check !== 'ok') throw new Error(`the copy failed SQLite's quick_check (${check}); the database may be damaged: run PRAGMA integrity_check on it`);
    renameSync(partial, target);
    return { path: target, bytes: statSync(target).size, pages: progress.totalPages, check };
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-wal`, { force: true });
    rmSync(`${partial}-shm`, { force: true });
    throw error;
  } finally {
    db.close();
  }
}

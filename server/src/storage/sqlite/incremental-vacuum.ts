import { statSync } from 'node:fs';
import { openSqlite } from './open-sqlite.js';

/** SQLite's `auto_vacuum` value for INCREMENTAL. */
const INCREMENTAL = 2;

/**
 * Makes the file give pages back on `PRAGMA incremental_vacuum`, which is what lets
 * retention shrink it. A file made without it (every file before this, and Prisma's
 * own) switches only through one full VACUUM: done once here, at open, before any
 * other connection, with a note of the size (a VACUUM rewrites the whole file and
 * needs as much free disk again for a moment).
 */
export function ensureIncrementalVacuum(path: string, log: (line: string) => void = () => {}): void {
  const db = openSqlite(path);
  try {
    if ((db.pragma('auto_vacuum', { simple: true }) as number) === INCREMENTAL) return;
    const mb = (statSync(path).size / 1024 / 1024).toFixed(1);
    log(`one-time: rewriting the ${mb} MB database with auto_vacuum=INCREMENTAL so pruned space goes back to the disk (a full VACUUM; large files take a while)`);
    const started = Date.now();
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
    log(`database rewritten in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    db.close();
  }
}

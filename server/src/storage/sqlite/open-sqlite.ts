import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * Opens the SQLite file with the settings every connection of closewatch uses: WAL so
 * readers never block the writer, a busy timeout so the Prisma connection and the
 * ingest connection wait for each other instead of failing, and FULL sync because an
 * acknowledged batch must survive a power cut (group commit pays one fsync per
 * transaction, not per event).
 */
export function openSqlite(path: string, options: { readonly?: boolean } = {}): SqliteDatabase {
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // A larger page cache keeps the hot right edge of every index in memory, and a
    // larger WAL between checkpoints turns many small page write-backs into few.
    db.pragma('cache_size = -65536');
    db.pragma('wal_autocheckpoint = 8192');
  }
  db.pragma('foreign_keys = ON');
  return db;
}

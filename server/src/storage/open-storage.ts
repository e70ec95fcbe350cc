import { engineOf } from './database-url.js';
import { openPostgresStorage } from './postgres/postgres-storage.js';
import { openSqliteStorage, type SqliteStorageOptions } from './sqlite/sqlite-storage.js';
import type { Storage } from './storage.js';

/** What either engine takes: SQLite's options (`readWorkers` becomes twice as many read connections on PostgreSQL). */
export type StorageOptions = SqliteStorageOptions;

/** Opens the engine `url` names; features see only the Storage it returns. */
export function openStorage(options: StorageOptions): Promise<Storage> {
  if (engineOf(options.url) === 'postgres') {
    const { writerHeapMb: _heap, readNice: _nice, walLimitMb: _wal, readWorkers, ...rest } = options;
    return openPostgresStorage({ ...rest, readConnections: Math.max(2, readWorkers * 2) });
  }
  return openSqliteStorage(options);
}

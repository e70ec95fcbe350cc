import { engineOf } from './database-url.js';
import { applyPostgresMigrations } from './postgres/migrations.js';
import { applyMigrations as applySqliteMigrations } from './sqlite/migrations.js';

/**
 * Applies the committed migrations the database lacks, for either engine; the collector
 * and the CLIs call this before they open the storage.
 *
 * @param log receives progress lines
 * @returns the migrations applied
 */
export function applyMigrations(databaseUrl: string, log: (line: string) => void = () => {}): Promise<string[]> {
  return engineOf(databaseUrl) === 'postgres' ? applyPostgresMigrations(databaseUrl, log) : applySqliteMigrations(databaseUrl, log);
}

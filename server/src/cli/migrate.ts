import { loadConfig } from '../plugins/config.js';
import { redactUrl } from '../storage/database-url.js';
import { applyMigrations } from '../storage/migrate.js';

/** `npm run db:migrate`: applies the migrations DATABASE_URL lacks (SQLite or PostgreSQL), as the collector does at start. */
async function main(): Promise<void> {
  const config = loadConfig();
  const applied = await applyMigrations(config.DATABASE_URL, (line) => process.stdout.write(`closewatch: ${line}\n`));
  if (applied.length === 0) process.stdout.write(`closewatch: ${redactUrl(config.DATABASE_URL)} has every migration\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`closewatch: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

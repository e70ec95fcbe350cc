import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../plugins/config.js';
import { engineOf, sqlitePathFromUrl } from '../storage/database-url.js';
import { backupSqlite } from '../storage/sqlite/backup.js';

const USAGE = `Back up the collector's SQLite database while it runs.

  npm run backup -- <file>          a consistent copy of DATABASE_URL in <file> (a new file)

Ingest goes on during the copy; the copy holds every batch acknowledged before it began.
Restore: stop the collector, put the copy in place of the database file (and delete the
old file's -wal and -shm files), start the collector. See "Backup and restore" in README.md.

The database is DATABASE_URL (default file:./data/closewatch.db).`;

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    process.stderr.write(`${file === undefined ? 'name the backup file' : `one file only, not ${positionals.length}`}\n\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  if (engineOf(config.DATABASE_URL) === 'postgres') {
    process.stderr.write('DATABASE_URL is PostgreSQL: back it up with its own tools, for example\n  pg_dump --format=custom --file=closewatch.dump "$DATABASE_URL"\n(README, "Backup and restore")\n');
    return 2;
  }
  // npm runs scripts in the package's folder; a relative name means the caller's folder.
  const target = isAbsolute(file) ? file : resolve(process.env.INIT_CWD ?? process.cwd(), file);
  const started = Date.now();
  const result = await backupSqlite(config.DATABASE_URL, target, (bytes) =>
    process.stdout.write(`copying ${sqlitePathFromUrl(config.DATABASE_URL)} (${mb(bytes)}) to ${target} ...\n`),
  );
  process.stdout.write(`backed up ${mb(result.bytes)} (${result.pages} pages, quick_check ${result.check}) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.path}\n`);
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`closewatch backup: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

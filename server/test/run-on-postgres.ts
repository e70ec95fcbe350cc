/**
 * Runs the storage, ingest, stats, live, alert and export suites again on PostgreSQL:
 * one throwaway cluster (a temporary folder, a free port; never the system service) for
 * the whole run, a fresh database per test file (test/helpers/test-database.ts), the
 * same test files as on SQLite. `npm run test:postgres`; extra arguments replace the list.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgresCluster } from './helpers/postgres-cluster.js';

const ON_BOTH_ENGINES = ['test/routes/api', 'test/alerts', 'test/query/live-hub.test.ts', 'test/retention', 'test/storage/engine', 'test/storage/postgres'];

function testFiles(entry: string): string[] {
  if (entry.endsWith('.ts')) return [entry];
  return readdirSync(entry, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.test.ts'))
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

const files = (process.argv.length > 2 ? process.argv.slice(2) : ON_BOTH_ENGINES).flatMap(testFiles);
const cluster = await startPostgresCluster();
process.stdout.write(`# PostgreSQL test cluster on port ${cluster.port}\n`);
let status = 1;
try {
  const run = spawnSync(process.execPath, ['--conditions=closewatch-source', '--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
    stdio: 'inherit',
    env: { ...process.env, CLOSEWATCH_TEST_ENGINE: 'postgres', CLOSEWATCH_TEST_PG_URL: cluster.adminUrl },
  });
  status = run.status ?? 1;
} finally {
  cluster.stop();
}
process.exit(status);

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

// The JS schema engine talks to SQLite through the same driver the collector uses,
// so nothing is downloaded (see platform notes). DATABASE_URL paths are relative to
// the repository root, exactly as the collector resolves them.
const url = process.env.DATABASE_URL ?? 'file:./data/closewatch.db';

// SQLite creates the file but not its folder; the default lives in ./data.
const file = url.startsWith('file:') ? url.slice('file:'.length).split('?')[0] : '';
if (file && file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});

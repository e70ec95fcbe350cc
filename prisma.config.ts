import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

// The JS schema engine talks to the database through the same drivers the collector
// uses, so nothing is downloaded (see platform notes). DATABASE_URL picks the engine:
// `file:` is SQLite (paths relative to the repository root, as the collector resolves
// them), `postgresql://` is PostgreSQL with its own generated schema and migrations.
const url = process.env.DATABASE_URL ?? 'file:./data/closewatch.db';
const postgres = /^postgres(ql)?:\/\//.test(url);

// SQLite creates the file but not its folder; the default lives in ./data.
const file = url.startsWith('file:') ? url.slice('file:'.length).split('?')[0] : '';
if (file && file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });

const dir = postgres ? path.join('prisma', 'postgres') : 'prisma';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(dir, 'schema.prisma'),
  migrations: { path: path.join(dir, 'migrations') },
  async adapter() {
    return postgres ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url });
  },
});

#!/usr/bin/env node
// One data model, two providers: prisma/schema.prisma (SQLite) is the source and
// prisma/postgres/schema.prisma is generated from it, so the models cannot drift.
// `node prisma/generate-postgres-schema.mjs` rewrites it; `--check` exits 1 when the
// committed file differs from what the source gives (a test runs the check).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(here, 'schema.prisma');
const TARGET = join(here, 'postgres', 'schema.prisma');

/** Each rewrite must apply exactly once, so a change of the source that breaks one is loud. */
const REWRITES = [
  ['provider     = "prisma-client"\n  output       = "../server/src/generated/prisma"', 'provider     = "prisma-client"\n  output       = "../../server/src/generated/prisma-postgres"'],
  ['provider = "sqlite"', 'provider = "postgresql"'],
  ['url      = "file:./dev.db"', 'url      = "postgresql://localhost:5432/closewatch"'],
  // Ten million events a day passes 2^31 within a year: the store order is a bigint.
  ['seq             Int      @id @default(autoincrement())', 'seq             BigInt   @id @default(autoincrement())'],
];

export function postgresSchema(source) {
  let text = source;
  for (const [from, to] of REWRITES) {
    const parts = text.split(from);
    if (parts.length !== 2) throw new Error(`prisma/schema.prisma: expected exactly one "${from.split('\n')[0]}" (found ${parts.length - 1}); update prisma/generate-postgres-schema.mjs`);
    text = parts.join(to);
  }
  const header = '// GENERATED from prisma/schema.prisma by prisma/generate-postgres-schema.mjs: edit the source, then run\n// `npm run db:schema:postgres` and write a PostgreSQL migration (see prisma/README.md).\n\n';
  return header + text;
}

const wanted = postgresSchema(readFileSync(SOURCE, 'utf8'));
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(TARGET, 'utf8');
  } catch {}
  if (current !== wanted) {
    process.stderr.write('prisma/postgres/schema.prisma is not what prisma/schema.prisma gives: run `npm run db:schema:postgres` and add a PostgreSQL migration\n');
    process.exit(1);
  }
} else {
  writeFileSync(TARGET, wanted);
}

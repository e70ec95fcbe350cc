import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BUILTIN_RULES, withRuleDefaults } from '../../../src/alerts/rule.js';
import { toFields } from '../../../src/alerts/rule-codec.js';
import { KeyStore } from '../../../src/storage/keys/key-store.js';
import { AlertStore } from '../../../src/storage/alerts/alert-store.js';
import { createPrismaClientFor } from '../../../src/storage/prisma-for-url.js';
import type { PrismaClient } from '../../../src/storage/sqlite/prisma-client.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.js';

// Collectors started together on one database (compose, a rolling deploy) each make the
// rows a first start makes; neither may fail to start because the other won the insert.

let db: TestDatabase;
const clients: PrismaClient[] = [];
before(async () => {
  db = await createTestDatabase();
  for (let i = 0; i < 4; i += 1) clients.push(createPrismaClientFor(db.url));
});
after(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
  await db.cleanup();
});

test('four collectors seeding the built-in alert rules at once make each rule exactly once', async () => {
  const rules = BUILTIN_RULES.map((r) => ({ builtin: r.builtin, fields: toFields(withRuleDefaults(r.input)) }));
  const made = await Promise.all(clients.map((c) => new AlertStore(c).seedRules(rules)));
  assert.equal(made.reduce((a, b) => a + b, 0), BUILTIN_RULES.length);
  const stored = await new AlertStore(clients[0]!).listRules();
  assert.deepEqual(stored.map((r) => r.builtin).sort(), BUILTIN_RULES.map((r) => r.builtin).sort());
});

test('four collectors ensuring one CLOSEWATCH_INGEST_KEY at once store it once, and all four resolve it', async () => {
  const secret = 'starting-together-0123456789';
  const results = await Promise.all(clients.map((c) => new KeyStore(c).ensure(secret, 'from CLOSEWATCH_INGEST_KEY')));
  assert.equal(results.filter((r) => r.created).length, 1);
  assert.equal(new Set(results.map((r) => r.key.id)).size, 1);
  const keys = await new KeyStore(clients[0]!).list();
  assert.equal(keys.length, 1);
  for (const c of clients) assert.equal((await new KeyStore(c).resolve(secret))?.id, results[0]!.key.id);
});

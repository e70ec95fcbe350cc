import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bootstrapKeys } from '../../src/keys/bootstrap-keys.js';
import { KeyStore } from '../../src/storage/keys/key-store.js';
import { createPrismaClient, type PrismaClient } from '../../src/storage/sqlite/prisma-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

let db: TestDatabase;
let prisma: PrismaClient;
before(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});
after(async () => {
  await prisma.$disconnect();
  await db.cleanup();
});

test('the first start creates one key; later starts create none', async () => {
  const keys = new KeyStore(prisma);
  const first = await bootstrapKeys(keys, undefined);
  assert.equal(first.kind, 'created-first');
  assert.ok(first.kind === 'created-first' && (await keys.resolve(first.secret))?.id === first.keyId);
  const second = await bootstrapKeys(keys, undefined);
  assert.deepEqual(second, { kind: 'existing', active: 1 });
  assert.equal((await keys.list()).length, 1);
});

test('CLOSEWATCH_INGEST_KEY is ensured exactly once, and revived if revoked', async () => {
  const keys = new KeyStore(prisma);
  const secret = 'compose-demo-key-0123456789';
  const a = await bootstrapKeys(keys, secret);
  assert.equal(a.kind === 'ensured' && a.created, true);
  const b = await bootstrapKeys(keys, secret);
  assert.equal(b.kind === 'ensured' && b.created, false);
  assert.equal(a.kind === 'ensured' && b.kind === 'ensured' && a.keyId === b.keyId, true);
  await keys.revoke(a.kind === 'ensured' ? a.keyId : '');
  await bootstrapKeys(keys, secret);
  assert.notEqual(await keys.resolve(secret), null);
  assert.equal((await keys.list()).filter((k) => k.name === 'from CLOSEWATCH_INGEST_KEY').length, 1);
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildApp } from '../../src/build-app.js';
import { loadConfig } from '../../src/plugins/config.js';
import { committedMigrations } from '../../src/storage/sqlite/migrations.js';
import { startTestApp, TEST_KEY, type TestApp } from '../helpers/test-app.js';
import { makeEvent } from '../helpers/events.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.destroy());

test('/healthz and /readyz answer', async () => {
  const health = await t.inject('/healthz');
  assert.equal(health.statusCode, 200);
  assert.equal(health.json().status, 'ok');
  const ready = await t.inject('/readyz');
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ready', database: 'sqlite', alertLeader: true, migrations: committedMigrations().length, writer: { restarts: 0, lastFailure: null } });
  assert.ok(!ready.body.includes(t.db.path), 'no file system path in an open endpoint');
});

test('unknown routes get the one error shape', async () => {
  const res = await t.inject('/api/v1/nope');
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.code, 'NOT_FOUND');
});

test('a database without migrations refuses to start and says how to fix it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'closewatch-empty-'));
  try {
    const config = loadConfig({ DATABASE_URL: `file:${join(dir, 'empty.db')}`, LOG_LEVEL: 'silent', DASHBOARD_DIR: '' });
    const expected = `lacks migrations ${committedMigrations().join(', ')}; run \`npm run db:migrate\``;
    await assert.rejects(buildApp({ config }), (error: Error) => error.message.includes(expected));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildApp } from '../../src/build-app.js';
import { loadConfig } from '../../src/plugins/config.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { makeEvent } from '../helpers/events.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../src/cli/keys.ts', import.meta.url));
let db: TestDatabase;

before(async () => {
  db = await createTestDatabase();
});
after(() => db.cleanup());

async function keys(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=closewatch-source', '--import', 'tsx', CLI, ...args], {
      // Only what the CLI needs: the caller's shell (HOST, LIVE_TICK_MS...) must not leak in.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: db.url },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

test('create prints a working key once; list shows it without the secret; revoke stops it', async () => {
  const created = await keys('create', '--name', 'ci');
  assert.equal(created.code, 0);
  const secret = /^(cw_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
  assert.ok(secret, created.stdout);
  const id = /^(key_[0-9a-f]{12})/.exec(created.stdout)?.[1] as string;

  const listed = await keys('list');
  assert.match(listed.stdout, new RegExp(`${id}\\s+server\\s+${secret.slice(0, 10)}\\.\\.\\.\\s+active`));
  assert.ok(!listed.stdout.includes(secret), 'list must not print secrets');

  const app = await buildApp({ config: loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', DASHBOARD_DIR: '' }) });
  const send = () =>
    app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, payload: { events: [makeEvent()] } });
  assert.equal((await send()).statusCode, 200);

  const revoked = await keys('revoke', id);
  assert.equal(revoked.code, 0);
  assert.match((await keys('list')).stdout, new RegExp(`${id}.*revoked`));
  await app.close();
  const fresh = await buildApp({ config: loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', DASHBOARD_DIR: '' }) });
  assert.equal((await fresh.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, payload: { events: [makeEvent()] } })).statusCode, 401);
  await fresh.close();
});

test('mistakes get a message and a non-zero exit', async () => {
  const noName = await keys('create');
  assert.equal(noName.code, 1);
  assert.match(noName.stderr, /create needs --name <name>/);
  const browserWithoutOrigin = await keys('create', '--name', 'web', '--browser');
  assert.match(browserWithoutOrigin.stderr, /needs at least one allowed origin/);
  const badOrigin = await keys('create', '--name', 'web', '--browser', '--origin', 'ftp://x');
  assert.match(badOrigin.stderr, /not an http\(s\) origin/);
  const unknown = await keys('revoke', 'key_000000000000');
  assert.match(unknown.stderr, /no active key with id key_000000000000/);
  const usage = await keys();
  assert.equal(usage.code, 2);
  assert.match(usage.stdout, /npm run keys -- create --name <name>/);
});

test('create --read makes a read token that reads and never ingests; reset-admin-password prints a working password and ends sessions', async () => {
  const created = await keys('create', '--read', '--name', 'grafana');
  assert.equal(created.code, 0, created.stderr);
  const token = /^(cw_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1] as string;
  assert.match(created.stdout, /^key_[0-9a-f]{12}  read {5}cw_[A-Za-z0-9_-]{7}\.\.\. {2}active/m);
  assert.match(created.stdout, /Read the API with "Authorization: Bearer <token>"\.$/m);

  const app = await buildApp({ config: loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', DASHBOARD_DIR: '' }) });
  try {
    const read = await app.inject({ url: '/api/v1/stats/summary', headers: { authorization: `Bearer ${token}` } });
    assert.equal(read.statusCode, 200);
    const ingest = await app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${token}` }, payload: { events: [makeEvent()] } });
    assert.equal(ingest.statusCode, 403);

    const reset = await keys('reset-admin-password');
    assert.equal(reset.code, 0, reset.stderr);
    const password = /^ {4}([A-Za-z0-9_-]{24})$/m.exec(reset.stdout)?.[1] as string;
    assert.match(reset.stdout, /^0 signed-in session\(s\) ended\./m);
    const signIn = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { password } });
    assert.equal(signIn.statusCode, 200);
    const cookie = `closewatch_session=${signIn.cookies[0]?.value}`;
    assert.equal((await app.inject({ url: '/api/v1/stats/summary', headers: { cookie } })).statusCode, 200);

    const again = await keys('reset-admin-password');
    assert.match(again.stdout, /^1 signed-in session\(s\) ended\./m);
    assert.equal((await app.inject({ url: '/api/v1/stats/summary', headers: { cookie } })).statusCode, 401, 'a reset signs everyone out');
  } finally {
    await app.close();
  }
});

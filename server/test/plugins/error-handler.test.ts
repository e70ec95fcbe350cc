import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/build-app.js';
import { HttpError } from '../../src/http/http-error.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { loadConfig } from '../../src/plugins/config.js';

let db: TestDatabase;
let app: FastifyInstance;
const logged: Array<{ level: number; msg?: string; err?: { message?: string } }> = [];

before(async () => {
  db = await createTestDatabase();
  const stream = { write: (line: string) => logged.push(JSON.parse(line) as (typeof logged)[number]) };
  app = await buildApp({ config: loadConfig({ DATABASE_URL: db.url, DASHBOARD_DIR: '' }) }, { logger: { level: 'info', stream } });
  app.get('/test/crash', async () => {
    throw new Error('secret detail: /var/lib/closewatch/data.db is corrupt');
  });
  app.get('/test/teapot', async () => {
    throw new HttpError(429, 'SLOW_DOWN', 'too many requests; retry in 7 s', { 'retry-after': '7' });
  });
  await app.ready();
});
after(async () => {
  await app.close();
  await db.cleanup();
});

test('an unexpected error answers 500 in the one error shape, logged, without its detail', async () => {
  const res = await app.inject('/test/crash');
  assert.equal(res.statusCode, 500);
  assert.deepEqual(res.json(), { error: { code: 'INTERNAL', message: 'the collector failed to handle this request; it is logged, retry later' } });
  const entry = logged.find((l) => l.msg === 'request failed');
  assert.equal(entry?.level, 50);
  assert.equal(entry?.err?.message, 'secret detail: /var/lib/closewatch/data.db is corrupt');
});

test('an HttpError keeps its status, code, message and headers', async () => {
  const res = await app.inject('/test/teapot');
  assert.equal(res.statusCode, 429);
  assert.equal(res.headers['retry-after'], '7');
  assert.deepEqual(res.json(), { error: { code: 'SLOW_DOWN', message: 'too many requests; retry in 7 s' } });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootstrapAdminPassword } from '../src/auth/admin-password.js';
import { buildApp } from '../src/build-app.js';
import { loadConfig } from '../src/plugins/config.js';
import { createTestDatabase } from './helpers/test-database.js';

const PASSWORD = 'correct horse battery staple';

async function withApp(settings: Record<string, string>, use: (app: Awaited<ReturnType<typeof buildApp>>) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  const app = await buildApp({ config: loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', DASHBOARD_DIR: '', ...settings }) });
  try {
    await app.ready();
    await use(app);
  } finally {
    await app.close();
    await db.cleanup();
  }
}

test('the HTTP timeouts of the settings are the listening server\'s: a trickling client cannot hold a socket forever', async () => {
  await withApp({ REQUEST_TIMEOUT_MS: '12000', KEEP_ALIVE_TIMEOUT_MS: '7000' }, async (app) => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    assert.equal(app.server.requestTimeout, 12_000);
    assert.equal(app.server.keepAliveTimeout, 7000);
    // connectionTimeout: the socket's idle timeout, past both of the others.
    assert.equal(app.server.timeout, 19_000);
  });
});

test('the session cookie is Secure when a trusted proxy says the request came over https, and only then', async () => {
  await withApp({ TRUST_PROXY: '127.0.0.1', CLOSEWATCH_ADMIN_PASSWORD: PASSWORD }, async (app) => {
    await bootstrapAdminPassword(app.db.accounts, PASSWORD);
    const signIn = (headers: Record<string, string>, remoteAddress: string) =>
      app.inject({ method: 'POST', url: '/api/v1/session', headers, remoteAddress, payload: { password: PASSWORD } });
    const secure = async (headers: Record<string, string>, remoteAddress = '127.0.0.1'): Promise<boolean> => {
      const res = await signIn(headers, remoteAddress);
      assert.equal(res.statusCode, 200, res.body);
      return res.cookies.find((c) => c.name === 'closewatch_session')?.secure ?? false;
    };
    assert.equal(await secure({ 'x-forwarded-proto': 'https' }), true, 'https through the trusted proxy');
    assert.equal(await secure({ 'x-forwarded-proto': 'http' }), false, 'plain http through the trusted proxy');
    assert.equal(await secure({}), false, 'no X-Forwarded-Proto');
    assert.equal(await secure({ 'x-forwarded-proto': 'https' }, '10.9.8.7'), false, 'the same header from a peer that is not the proxy');
  });
});

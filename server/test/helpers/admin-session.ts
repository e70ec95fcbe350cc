import { bootstrapAdminPassword } from '../../src/auth/admin-password.js';
import type { TestApp } from './test-app.js';

const PASSWORD = 'the-test-admin-password';

/** Signs in as the admin (the password set as CLOSEWATCH_ADMIN_PASSWORD would) and returns the cookie header. */
export async function adminSession(t: TestApp): Promise<string> {
  await bootstrapAdminPassword(t.app.db.accounts, PASSWORD);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { password: PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'closewatch_session');
  if (cookie === undefined) throw new Error('sign-in set no session cookie');
  return `${cookie.name}=${cookie.value}`;
}

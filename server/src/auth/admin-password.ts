import type { AccountStore } from '../storage/accounts/account-store.js';
import { generatePassword, hashPassword, verifyPassword } from './password.js';

export type AdminPasswordBootstrap =
  /** CLOSEWATCH_ADMIN_PASSWORD is the password (set now, or already). */
  | { kind: 'configured'; changed: boolean }
  /** None existed: one was generated; shown this once. */
  | { kind: 'generated'; password: string }
  | { kind: 'existing' };

/**
 * Start-up password policy: CLOSEWATCH_ADMIN_PASSWORD, when set, is made the password;
 * otherwise a database without one gets a generated password, printed once by the caller.
 */
export async function bootstrapAdminPassword(accounts: AccountStore, configured: string | undefined): Promise<AdminPasswordBootstrap> {
  const current = await accounts.adminPasswordHash();
  if (configured !== undefined) {
    if (current !== null && (await verifyPassword(configured, current))) return { kind: 'configured', changed: false };
    await accounts.setAdminPasswordHash(await hashPassword(configured));
    return { kind: 'configured', changed: current !== null };
  }
  if (current !== null) return { kind: 'existing' };
  const password = generatePassword();
  // Another collector starting at the same moment may win; then its password stands.
  return (await accounts.initAdminPasswordHash(await hashPassword(password))) ? { kind: 'generated', password } : { kind: 'existing' };
}

import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../sqlite/prisma-client.js';

/** The one admin account's id. */
const ADMIN_ID = 'admin';

/**
 * The dashboard's account and collector-wide generated values, through Prisma.
 * Password hashing happens outside (auth/password.ts): this only keeps the hash.
 */
export class AccountStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** The admin password's hash, or null before the first start set one. */
  async adminPasswordHash(): Promise<string | null> {
    const row = await this.prisma.adminAccount.findUnique({ where: { id: ADMIN_ID } });
    return row?.passwordHash ?? null;
  }

  async setAdminPasswordHash(passwordHash: string): Promise<void> {
    await this.prisma.adminAccount.upsert({ where: { id: ADMIN_ID }, create: { id: ADMIN_ID, passwordHash }, update: { passwordHash } });
  }

  /**
   * Sets the admin password hash only if none exists; returns whether this call set it
   * (two collectors starting together must not both generate and print a password).
   */
  async initAdminPasswordHash(passwordHash: string): Promise<boolean> {
    const result = await this.prisma.adminAccount.createMany({ data: [{ id: ADMIN_ID, passwordHash }] }).catch(() => ({ count: 0 }));
    return result.count === 1;
  }

  /**
   * A random secret kept in the database, made on first use: the same value for every
   * collector on this database and across restarts (session cookies are signed with it).
   */
  async secret(key: string): Promise<string> {
    const existing = await this.prisma.setting.findUnique({ where: { key } });
    if (existing) return existing.value;
    await this.prisma.setting.createMany({ data: [{ key, value: randomBytes(48).toString('base64url') }] }).catch(() => undefined);
    const row = await this.prisma.setting.findUniqueOrThrow({ where: { key } });
    return row.value;
  }
}

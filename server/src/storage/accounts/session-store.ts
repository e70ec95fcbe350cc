// Session is @fastify/session's augmentation of fastify; importing it here lets any program that reaches this
// file (the dashboard's type check, through api-types) see it.
import type {} from '@fastify/session';
import type { Session } from 'fastify';
import type { PrismaClient } from '../sqlite/prisma-client.js';

type Callback = (error?: unknown) => void;
type SessionCallback = (error: unknown, result?: Session | null) => void;

/**
 * Dashboard sessions in the database (the store interface of @fastify/session): they
 * survive a restart, work on every collector of one database, and a sign-out removes
 * the session itself, not only the browser's cookie.
 */
export class SessionStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: () => number = Date.now,
  ) {}

  set(sessionId: string, session: Session, callback: Callback): void {
    const expires = session.cookie.expires ? new Date(session.cookie.expires).getTime() : this.clock() + 86_400_000;
    const data = JSON.stringify(session);
    this.prisma.session
      .upsert({ where: { id: sessionId }, create: { id: sessionId, data, expiresAt: BigInt(expires) }, update: { data, expiresAt: BigInt(expires) } })
      .then(() => callback(), callback);
  }

  get(sessionId: string, callback: SessionCallback): void {
    this.prisma.session.findUnique({ where: { id: sessionId } }).then((row) => {
      if (row === null) return callback(null, null);
      if (Number(row.expiresAt) <= this.clock()) {
        return this.destroy(sessionId, (error) => callback(error, null));
      }
      try {
        // Stored as JSON; @fastify/session rebuilds the session (and its cookie) from it.
        callback(null, JSON.parse(row.data) as Session);
      } catch {
        callback(null, null);
      }
    }, callback);
  }

  destroy(sessionId: string, callback: Callback): void {
    this.prisma.session.deleteMany({ where: { id: sessionId } }).then(() => callback(), callback);
  }

  /** Signs every browser out (after a password reset); returns how many sessions ended. */
  async destroyAll(): Promise<number> {
    return (await this.prisma.session.deleteMany({})).count;
  }

  /** Removes expired sessions; returns how many. */
  async prune(): Promise<number> {
    const result = await this.prisma.session.deleteMany({ where: { expiresAt: { lte: BigInt(this.clock()) } } });
    return result.count;
  }
}

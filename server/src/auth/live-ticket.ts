import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a live ticket may be used to open the live socket. */
export const LIVE_TICKET_TTL_MS = 60_000;

/**
 * Short-lived tickets for opening the live WebSocket from a page that cannot send the
 * session cookie or a header (another origin in development, a script): an expiry, who
 * it was issued to and a nonce, signed with a secret every collector of the database
 * shares. The subject lets the socket end when that credential does.
 */
export class LiveTickets {
  constructor(
    private readonly secret: string,
    private readonly clock: () => number = Date.now,
  ) {}

  issue(subject: string): { ticket: string; expiresAt: number } {
    const expiresAt = this.clock() + LIVE_TICKET_TTL_MS;
    const body = `${expiresAt}.${Buffer.from(subject).toString('base64url')}.${randomBytes(12).toString('base64url')}`;
    return { ticket: `${body}.${this.sign(body)}`, expiresAt };
  }

  /** The subject of a ticket issued here (or by a collector sharing the database) that has not expired, or null. */
  verify(ticket: string): string | null {
    const parts = ticket.split('.');
    if (parts.length !== 4) return null;
    const [expires, subject, nonce, mac] = parts as [string, string, string, string];
    const expected = Buffer.from(this.sign(`${expires}.${subject}.${nonce}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (!(Number(expires) > this.clock())) return null;
    return Buffer.from(subject, 'base64url').toString('utf8');
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

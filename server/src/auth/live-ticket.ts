import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a live ticket may be used to open the live socket. */
export const LIVE_TICKET_TTL_MS = 60_000;

/**
 * Short-lived tickets for opening the live WebSocket from a page that cannot send the
 * session cookie or a header (another origin in development, a script): an expiry and
 * a nonce signed with a secret every collector of the database shares.
 */
export class LiveTickets {
  constructor(
    private readonly secret: string,
    private readonly clock: () => number = Date.now,
  ) {}

  issue(): { ticket: string; expiresAt: number } {
    const expiresAt = this.clock() + LIVE_TICKET_TTL_MS;
    const body = `${expiresAt}.${randomBytes(12).toString('base64url')}`;
    return { ticket: `${body}.${this.sign(body)}`, expiresAt };
  }

  /** Whether a ticket was issued here (or by a collector sharing the database) and has not expired. */
  verify(ticket: string): boolean {
    const parts = ticket.split('.');
    if (parts.length !== 3) return false;
    const [expires, nonce, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${expires}.${nonce}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    return Number(expires) > this.clock();
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

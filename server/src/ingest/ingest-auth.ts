import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/http-error.js';
import type { ResolvedKey } from '../storage/keys/key-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    ingestKey: ResolvedKey | null;
  }
}

const HOW_TO_GET_A_KEY = 'create one with `npm run keys -- create --name <name>` (the first start prints one)';

/** The secret of an `Authorization: Bearer <key>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] as string) : null;
}

/** What ingest rate limits count by: the presented secret, hashed (never kept in memory as it is). */
export function rateLimitKey(header: string | undefined): string {
  return createHash('sha256').update(bearerToken(header) ?? '').digest('base64url').slice(0, 22);
}

/**
 * Answers CORS for browser keys. Preflights carry no key, so they are answered for
 * the origins any active browser key allows; the real request is then checked
 * against its own key's list.
 */
export async function applyCors(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const allowed = await request.server.db.keys.browserOrigins();
  reply.header('vary', 'Origin');
  if (!allowed.has(origin)) {
    throw new HttpError(403, 'ORIGIN_NOT_ALLOWED', `origin ${origin} is not allowed by any browser key; create one with \`npm run keys -- create --name <name> --browser --origin ${origin}\``);
  }
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-expose-headers', 'retry-after');
}

/** `onRequest` hook of the ingest route: runs before the body is read, so bad keys cost nothing. */
export async function authenticateIngest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  request.ingestKey = null;
  await applyCors(request, reply);
  const secret = bearerToken(request.headers.authorization);
  if (secret === null) {
    throw new HttpError(401, 'MISSING_KEY', `send an ingest key as "Authorization: Bearer <key>"; ${HOW_TO_GET_A_KEY}`);
  }
  const key = await request.server.db.keys.resolve(secret);
  if (key === null) throw new HttpError(401, 'UNKNOWN_KEY', `this ingest key is unknown or revoked; ${HOW_TO_GET_A_KEY}`);
  if (key.kind === 'read') {
    throw new HttpError(403, 'READ_TOKEN_CANNOT_INGEST', `read tokens only read; send events with an ingest key: ${HOW_TO_GET_A_KEY}`);
  }
  const origin = request.headers.origin;
  if (key.kind === 'browser' && origin === undefined) {
    // A browser key is public (it is in the page's code): without an Origin the sender is no browser of its sites.
    throw new HttpError(403, 'ORIGIN_REQUIRED', 'browser keys are accepted only from the pages of their origins (an Origin header); a back end sends with a server key');
  }
  if (origin !== undefined) {
    if (key.kind !== 'browser') {
      throw new HttpError(403, 'SERVER_KEY_IN_BROWSER', 'server keys are secret and cannot be used from a browser; create a browser key with --browser --origin <origin>');
    }
    if (!key.allowedOrigins.includes(origin)) {
      throw new HttpError(403, 'ORIGIN_NOT_ALLOWED', `this browser key does not allow origin ${origin}`);
    }
  }
  request.ingestKey = key;
}

import { createHash, randomBytes } from 'node:crypto';

/** Prefix of every generated key, so a leaked key is recognisable in logs and scanners. */
export const KEY_PREFIX = 'cw_';

/** A new random ingest key: `cw_` and 32 random bytes, base64url. */
export function generateKeySecret(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** Only this hash is stored; SHA-256 suffices because keys are long random strings, not passwords. */
export function hashKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The part of a key shown in listings. */
export function keyDisplayPrefix(secret: string): string {
  return secret.slice(0, 10);
}

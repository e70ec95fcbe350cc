import { createHash } from 'node:crypto';

/** Hex characters kept of the sha256: 64 bits, enough to tell peers apart, too few to store an address. */
export const REMOTE_ADDRESS_HASH_LENGTH = 16;

/**
 * Hashes a peer address. IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) are unmapped
 * first so a peer hashes the same whether it reached a dual-stack or an IPv4 socket.
 * Without a salt the IPv4 space is small enough to reverse by enumeration; use a
 * secret salt when that matters.
 */
export function hashRemoteAddress(address: string, salt: string): string {
  const normalized = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  return createHash('sha256').update(salt).update(normalized).digest('hex').slice(0, REMOTE_ADDRESS_HASH_LENGTH);
}

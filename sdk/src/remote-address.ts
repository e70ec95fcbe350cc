import { createHash } from 'node:crypto';

/** Hex characters kept of the sha256: 64 bits, enough to tell peers apart, too few to store an address. */
export const REMOTE_ADDRESS_HASH_LENGTH = 16;

/**
 * An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) as the IPv4 address it maps, so a
 * peer is the same whether it reached a dual-stack or an IPv4 socket; any other
 * address as it is.
 */
export function unmapAddress(address: string): string {
  return address.length > 7 && address.slice(0, 7).toLowerCase() === '::ffff:' && address.includes('.') ? address.slice(7) : address;
}

/**
 * Hashes a peer address, unmapped first (`unmapAddress`). Without a salt the IPv4
 * space is small enough to reverse by enumeration; use a secret salt when that matters.
 */
export function hashRemoteAddress(address: string, salt: string): string {
  return createHash('sha256').update(salt).update(unmapAddress(address)).digest('hex').slice(0, REMOTE_ADDRESS_HASH_LENGTH);
}

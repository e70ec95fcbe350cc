/**
 * `clientKey`: who the same client is across connections and across the instances of a
 * fleet, so the collector can tell how long a client waited before it came back after
 * a server closed it (1012 Restart, 1013 Try Again Later, 1001 Going Away).
 *
 * The default is a salted hash of the client's address and user agent: two users behind
 * one NAT with different browsers are two clients, and the raw address never leaves the
 * host. The salt defaults to the ingest key, so every instance sharing that key computes
 * the same hash for the same client, and nobody without the key can reverse it by
 * hashing the IPv4 space.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CLIENT_KEY_RULE, isValidClientKey } from './event-limits.js';
import { clientAddress, type TrustedProxies } from './trusted-proxies.js';
import { userAgentFamily } from './user-agent-family.js';
import { show } from './validate.js';

/** Hex characters kept of the default key's sha256 (64 bits). */
export const CLIENT_KEY_HASH_LENGTH = 16;

/**
 * The default key of a client: the first 16 hex characters of
 * `sha256(salt + "\n" + address + "\n" + userAgent)`.
 */
export function hashClientKey(address: string, userAgent: string, salt: string): string {
  return createHash('sha256').update(`${salt}\n${address}\n${userAgent}`).digest('hex').slice(0, CLIENT_KEY_HASH_LENGTH);
}

/** The default `clientKey` of an upgrade request; undefined when the socket has no address any more. */
export function defaultClientKey(request: IncomingMessage, salt: string, proxies: TrustedProxies | undefined): string | undefined {
  const address = clientAddress(request, proxies);
  if (address === undefined || address === '') return undefined;
  const userAgent = request.headers['user-agent'];
  return hashClientKey(address, typeof userAgent === 'string' ? userAgent : '', salt);
}

/** What is wrong with a key a `clientKey` callback returned, or undefined when it can be sent. */
export function clientKeyProblem(key: unknown): string | undefined {
  return isValidClientKey(key) ? undefined : `returned ${show(key)}, not ${CLIENT_KEY_RULE}`;
}

// Upgrade requests of one fleet carry a handful of distinct user agents; parsing each
// once keeps the regular expressions off the per-connection path. Bounded, so a client
// sending a new user agent per connection cannot grow it.
const AGENT_CACHE_SIZE = 512;
const agents = new Map<string, string>();

/** `clientAgent` of an upgrade request: its `User-Agent` family; undefined without the header. */
export function requestClientAgent(request: IncomingMessage): string | undefined {
  const userAgent = request.headers['user-agent'];
  if (typeof userAgent !== 'string' || userAgent === '') return undefined;
  let family = agents.get(userAgent);
  if (family === undefined) {
    family = userAgentFamily(userAgent);
    if (agents.size >= AGENT_CACHE_SIZE) agents.clear();
    agents.set(userAgent, family);
  }
  return family;
}

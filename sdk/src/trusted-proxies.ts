/**
 * The client's address behind reverse proxies. `X-Forwarded-For` is written by whoever
 * sent the request, so it is believed only when the direct peer is a proxy the operator
 * named (`trustedProxies`), and then only up to the first hop that is not one of them:
 * every proxy appends the address it saw, so the right-most untrusted hop is the last
 * address a trusted proxy vouches for; anything left of it the client could have made up.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { unmapAddress } from './remote-address.js';
import { fail } from './validate.js';

/** The trusted proxies of an option, ready to match addresses. */
export type TrustedProxies = BlockList;

const EXPECTED = 'an array of IP addresses and CIDR ranges (such as "10.0.0.0/8" or "fd00::/8")';

function family(address: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

function addEntry(list: BlockList, entry: string): boolean {
  const slash = entry.indexOf('/');
  const address = unmapAddress(slash === -1 ? entry : entry.slice(0, slash));
  const type = family(address);
  if (type === undefined) return false;
  if (slash === -1) {
    list.addAddress(address, type);
    return true;
  }
  const prefix = entry.slice(slash + 1);
  const max = type === 'ipv4' ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return false;
  list.addSubnet(address, Number(prefix), type);
  return true;
}

/**
 * The `trustedProxies` option: exact IPv4/IPv6 addresses and CIDR ranges. Returns
 * undefined for an empty list (nothing trusted, the default).
 * @throws {TypeError} naming the option and the first entry that is neither.
 */
export function trustedProxiesOption(value: unknown, name: string, fallback: TrustedProxies | undefined): TrustedProxies | undefined {
  if (value === undefined) return fallback;
  if (!Array.isArray(value)) fail(name, EXPECTED, value);
  if (value.length === 0) return undefined;
  const list = new BlockList();
  value.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string' || !addEntry(list, entry.trim())) fail(name, `${EXPECTED}; entry ${index} is not one`, entry);
  });
  return list;
}

function isTrusted(proxies: TrustedProxies, address: string): boolean {
  const type = family(address);
  return type !== undefined && proxies.check(address, type);
}

/** One `X-Forwarded-For` hop as an address: brackets and a port removed, unmapped. */
function hopAddress(hop: string): string {
  let address = hop.trim();
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    address = end === -1 ? address : address.slice(1, end);
  } else if (address.indexOf(':') === address.lastIndexOf(':') && address.includes('.')) {
    // IPv4 with a port (`203.0.113.7:51234`), as some load balancers write it.
    const colon = address.indexOf(':');
    if (colon !== -1) address = address.slice(0, colon);
  }
  return unmapAddress(address);
}

/**
 * The address of the client that made `request`: the direct peer
 * (`request.socket.remoteAddress`, unmapped), or, when that peer is a trusted proxy,
 * the right-most `X-Forwarded-For` hop that is not itself a trusted proxy. A hop that
 * is not an IP address ends the walk at the proxy that wrote it. Undefined when the
 * socket has no address (already closed).
 */
export function clientAddress(request: IncomingMessage, proxies: TrustedProxies | undefined): string | undefined {
  const peer = request.socket?.remoteAddress;
  if (peer === undefined) return undefined;
  let address = unmapAddress(peer);
  if (proxies === undefined || !isTrusted(proxies, address)) return address;
  const header = request.headers['x-forwarded-for'];
  // Node joins repeated X-Forwarded-For headers with ", ", so this is the whole chain.
  if (typeof header !== 'string' || header === '') return address;
  const hops = header.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hopAddress(hops[i] as string);
    if (family(hop) === undefined) return address;
    address = hop;
    if (!isTrusted(proxies, hop)) return hop;
  }
  // Every hop is a trusted proxy: the request started at the left-most one.
  return address;
}

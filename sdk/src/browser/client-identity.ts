/**
 * The `clientKey` of a browser tab: 16 random hex characters, kept in `sessionStorage`
 * so a reload (which reconnects) is still the same client, while another tab, or the
 * same page tomorrow, is another. Nothing about the user goes into it.
 */
import { userAgentFamily } from '../user-agent-family.js';
import { LAST_CLOSES_STORAGE_KEY, ReconnectMemory } from './reconnect-memory.js';
import { pageSessionStorage, SessionValue } from './session-storage.js';

/** The `sessionStorage` key holding the tab's `clientKey`. */
export const CLIENT_KEY_STORAGE_KEY = 'closewatch.clientKey';

const KEY_PATTERN = /^[0-9a-f]{16}$/;

function randomHex16(): string {
  const bytes = new Uint8Array(8);
  const crypto = (globalThis as { crypto?: { getRandomValues?: (array: Uint8Array) => Uint8Array } }).crypto;
  if (typeof crypto?.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The tab's key from `value`, made and stored there first when it holds none (or not one of ours). */
export function tabClientKey(value: SessionValue): string {
  const stored = value.get();
  if (stored !== undefined && KEY_PATTERN.test(stored)) return stored;
  const key = randomHex16();
  value.set(key);
  return key;
}

/** What the page knows of itself, shared by every client in it. */
export interface PageIdentity {
  clientKey: string;
  reconnects: ReconnectMemory;
}

let page: PageIdentity | undefined;

/**
 * The page's identity, made on first use: one per page, whatever the number of clients
 * (`observe()` with a new options object per socket makes a client per socket, and a
 * reconnect must still find the close of the socket before).
 */
export function pageIdentity(): PageIdentity {
  if (page === undefined) {
    const storage = pageSessionStorage();
    page = {
      clientKey: tabClientKey(new SessionValue(storage, CLIENT_KEY_STORAGE_KEY)),
      reconnects: new ReconnectMemory(new SessionValue(storage, LAST_CLOSES_STORAGE_KEY)),
    };
  }
  return page;
}

/** `clientAgent` of this browser: `navigator.userAgent`'s family; undefined outside a browser. */
export function browserClientAgent(): string | undefined {
  const ua = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent;
  return typeof ua === 'string' && ua !== '' ? userAgentFamily(ua) : undefined;
}

/**
 * Event ids: UUIDv7 (RFC 9562), a 48-bit millisecond timestamp followed by random
 * bits. Time-ordered ids land at the right edge of the collector's idempotency index
 * instead of at random places in it, which keeps ingest fast as the table grows.
 * Only `getRandomValues` is used: `crypto.randomUUID()` is missing on pages served
 * over plain http, and this file runs in browsers and Node alike.
 */
export function newEventId(now: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  // Typed by hand: the collector compiles this file without the DOM library.
  const crypto = (globalThis as { crypto?: { getRandomValues?: (array: Uint8Array) => Uint8Array } }).crypto;
  if (typeof crypto?.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let ts = Math.max(0, Math.floor(now));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ts % 256;
    ts = Math.floor(ts / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * What makes a browser socket a reconnect: the page remembers, per service and route,
 * when and with which code its last connection there closed, and the next socket that
 * opens there reports that code (`previousCode`) and the time since
 * (`reconnectDelayMs`). Kept in `sessionStorage` too, so the socket of a reload counts.
 *
 * Only sockets that opened count as connections: a failed attempt neither carries nor
 * replaces the remembered close, so after a 1012 and a few refused attempts the socket
 * that finally opens reports the 1012 and the whole wait. A remembered close is used by
 * one socket only.
 */
import type { SessionValue } from './session-storage.js';

/** The `sessionStorage` key holding the last close per route. */
export const LAST_CLOSES_STORAGE_KEY = 'closewatch.lastCloses';
/** A close longer ago than this is not what the next socket reconnects from. */
export const RECONNECT_WINDOW_MS = 10 * 60_000;
/** Routes remembered at most; the oldest closes go first. */
const MAX_ROUTES = 64;

/** The reconnect fields of an event. */
export interface Reconnect {
  previousCode: number | null;
  reconnectDelayMs: number;
}

/** Route key -> [epoch ms of the close, its code]. */
type Closes = Record<string, [number, number | null]>;

function parse(text: string | undefined): Closes {
  if (text === undefined) return Object.create(null) as Closes;
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return Object.create(null) as Closes;
    const closes = Object.create(null) as Closes;
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'number') continue;
      const code: unknown = entry[1];
      closes[key] = [entry[0], typeof code === 'number' && Number.isInteger(code) ? code : null];
    }
    return closes;
  } catch {
    return Object.create(null) as Closes;
  }
}

/** The last close per route of one page, for the next socket to the same route. */
export class ReconnectMemory {
  constructor(private readonly value: SessionValue) {}

  /** A connection to `key` (service and route) that had opened closed at `at` with `code`. */
  noteClose(key: string, code: number | null, at: number): void {
    const closes = parse(this.value.get());
    delete closes[key];
    // Oldest first (insertion order): keep the recent ones, at most MAX_ROUTES with this one.
    const kept = Object.create(null) as Closes;
    const recent = Object.entries(closes).filter(([, [closedAt]]) => at - closedAt <= RECONNECT_WINDOW_MS);
    for (const [other, entry] of recent.slice(-(MAX_ROUTES - 1))) kept[other] = entry;
    kept[key] = [at, code];
    this.value.set(JSON.stringify(kept));
  }

  /**
   * A socket to `key` opened at `openedAt`: the close it reconnects from (used up), or
   * undefined when there was none in the last 10 minutes.
   */
  take(key: string, openedAt: number): Reconnect | undefined {
    const closes = parse(this.value.get());
    const entry = closes[key];
    if (entry === undefined) return undefined;
    delete closes[key];
    this.value.set(JSON.stringify(closes));
    const delay = Math.round(openedAt - entry[0]);
    // A clock set back between the two makes the delay meaningless: none is reported.
    if (delay < 0 || delay > RECONNECT_WINDOW_MS) return undefined;
    return { previousCode: entry[1], reconnectDelayMs: delay };
  }
}

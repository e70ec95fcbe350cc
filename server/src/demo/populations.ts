/**
 * The demo's client populations: what each does after a server closed its connection,
 * so the Reconnects panel shows a real difference after every rolling restart.
 *
 * Each population has its own User-Agent (the collector's offenders table groups by its
 * family) and its clients keep their identity across reconnects in an `x-demo-client`
 * header (`eager:3`): every demo client comes from the same loopback address, so the
 * default clientKey (address and user agent) would make one client of a whole
 * population, and its reconnect delays would be the gaps between different clients.
 */
import type { IncomingMessage } from 'node:http';
import { ADVISED_RECONNECT_DELAY_MS, RECONNECT_ADVISING_CODES } from '@closewatch/sdk/close-codes';
import { randomInt, type RandomSource } from './seeded-random.js';

/** How a population's clients wait after a server closed them. */
export interface Population {
  /** Also the prefix of its clients' keys (`eager:3`). */
  name: 'well-behaved' | 'eager' | 'fixed';
  userAgent: string;
  /** What the delay is, for the demo's log. */
  policy: string;
  /** The delay before the next connection, in ms. */
  delayMs(random: RandomSource): number;
}

export const POPULATIONS: readonly Population[] = [
  {
    name: 'well-behaved',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    policy: 'back after a random 5-30 s',
    // Uniform over the advised window (5-30 s), inclusive, in whole milliseconds.
    delayMs: (random) => ADVISED_RECONNECT_DELAY_MS.from + randomInt(random, ADVISED_RECONNECT_DELAY_MS.to - ADVISED_RECONNECT_DELAY_MS.from + 1),
  },
  { name: 'eager', userAgent: 'okhttp/4.12.0', policy: 'back at once', delayMs: () => 0 },
  { name: 'fixed', userAgent: 'Python/3.11 websockets/13.0', policy: 'always back after 1 s', delayMs: () => 1000 },
];

/** The header a demo client's identity travels in. */
export const DEMO_CLIENT_HEADER = 'x-demo-client';

/** The demo servers' `clientKey` option: the client's own id, sent as it is. */
export function demoClientKey(request: IncomingMessage): string | undefined {
  const id = request.headers[DEMO_CLIENT_HEADER];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Closes after which a client is advised to come back later: what the panel measures. */
export const BACK_OFF_CODES: ReadonlySet<number> = new Set(RECONNECT_ADVISING_CODES);

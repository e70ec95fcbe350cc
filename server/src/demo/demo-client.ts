import { WebSocket } from 'ws';
import { DEMO_MAX_PAYLOAD } from './demo-service.js';
import { DEMO_CLIENT_HEADER } from './populations.js';

/** What a demo client does with its connection; each leads to a different close. */
export type Scenario =
  | 'client-bye'
  | 'client-away'
  | 'server-done'
  | 'drop'
  | 'policy'
  | 'too-big'
  | 'crash'
  | 'app'
  | 'idle'
  | 'no-code';

/** Relative weights of the everyday mix: mostly 1000 and 1001. */
export const SCENARIO_WEIGHTS: Readonly<Record<Scenario, number>> = {
  'client-bye': 36,
  'client-away': 20,
  'server-done': 12,
  drop: 8,
  policy: 4,
  'too-big': 2,
  crash: 2,
  app: 8,
  idle: 1,
  'no-code': 2,
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one real client connection through a scenario and resolves when it closed.
 * Errors are part of the demo (servers close on purpose), so nothing here throws.
 */
export async function runClient(url: string, scenario: Scenario, lifetimeMs: number, seed: number): Promise<void> {
  // The seed gives the server's handling of this connection its own random sequence, so
  // a seeded fleet behaves the same whatever order connections interleave in.
  // A visitor comes once: its own clientKey, so a restart that meets it counts it as not returned.
  const socket = new WebSocket(`${url}?scenario=${scenario}&seed=${seed}`, { headers: { [DEMO_CLIENT_HEADER]: `visitor:${seed.toString(16)}` } });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const opened = await Promise.race([
    new Promise<boolean>((resolve) => socket.once('open', () => resolve(true))),
    closed.then(() => false),
  ]);
  if (!opened) return;
  if (scenario === 'idle') return closed;
  const messages = 1 + Math.floor(lifetimeMs / 500);
  for (let i = 0; i < messages && socket.readyState === WebSocket.OPEN; i++) {
    socket.send(JSON.stringify({ type: 'msg', n: i, at: Date.now() }));
    await sleep(lifetimeMs / messages);
  }
  if (socket.readyState !== WebSocket.OPEN) return closed;
  switch (scenario) {
    case 'client-bye':
      socket.close(1000, 'bye');
      break;
    case 'client-away':
      socket.close(1001, 'navigating away');
      break;
    case 'no-code':
      socket.close();
      break;
    case 'server-done':
      socket.send('done');
      break;
    case 'drop':
      socket.terminate();
      break;
    case 'policy':
      socket.send('auth:expired');
      break;
    case 'too-big':
      socket.send(Buffer.alloc(DEMO_MAX_PAYLOAD + 1024, 7));
      break;
    case 'crash':
      socket.send('boom');
      break;
    case 'app':
      socket.send('leave-room');
      break;
  }
  // A server that ignores us gets a close after 5 s, so no demo socket lingers.
  const timer = setTimeout(() => socket.terminate(), 5000);
  await closed;
  clearTimeout(timer);
}

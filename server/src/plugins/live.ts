import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import type { WebSocket, WebSocketServer } from 'ws';
import { LiveHub, liveSource } from '../query/live-hub.js';

/** Close code for open sockets when the collector stops: Going Away, so dashboards reconnect. */
export const GOING_AWAY = 1001;

/** How long a socket may take to answer our close frame before it is cut (the whole stop has 10 s). */
const CLOSE_HANDSHAKE_MS = 2000;

/**
 * Ends every open socket with 1001 and waits for the close handshakes, cutting the
 * sockets that do not answer in time: the HTTP server's close waits for upgraded
 * sockets too, and a silent peer would otherwise hold the stop for ws's 30 s.
 */
async function closeGoingAway(server: WebSocketServer): Promise<void> {
  const closing = [...server.clients].map(
    (socket: WebSocket) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === socket.CLOSED) return resolve();
        const cut = setTimeout(() => socket.terminate(), CLOSE_HANDSHAKE_MS);
        socket.once('close', () => {
          clearTimeout(cut);
          resolve();
        });
        socket.close(GOING_AWAY, 'the collector is shutting down; reconnect in a moment');
      }),
  );
  await Promise.all(closing);
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The live feed's hub: one tick for every dashboard socket (read by /metrics). */
    live: LiveHub;
  }
}

/** WebSocket support and the live feed's hub, shared by the WebSocket route and the metrics; stopped on close. */
export default fp(
  async (fastify) => {
    // Registered before the auth plugin: its onRequest hook marks upgrade requests first,
    // so an upgrade refused by auth still gets its socket closed after the answer.
    await fastify.register(websocket, {
      options: { maxPayload: 4096 },
      // Replaces the default, which closes sockets without a code (1005 at the browser).
      preClose: async () => closeGoingAway(fastify.websocketServer),
    });
    const names = () => fastify.codeNames.map;
    const hub = new LiveHub(liveSource(fastify.db.tail, names), {
      tickMs: fastify.config.LIVE_TICK_MS,
      codeNames: names,
      onError: (error) => fastify.log.error({ err: error }, 'live tick failed'),
    });
    fastify.decorate('live', hub);
    // Alert changes come from whichever collector evaluates (one per database), to every collector's dashboards.
    const unsubscribe = fastify.db.bus.subscribe((message) => hub.broadcast(message as object));
    fastify.addHook('onClose', async () => {
      unsubscribe();
      hub.stop();
    });
  },
  { name: 'live', dependencies: ['config', 'database', 'code-names'] },
);

import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import { LiveHub, liveSource } from '../query/live-hub.js';

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
    await fastify.register(websocket, { options: { maxPayload: 4096 } });
    const hub = new LiveHub(liveSource(fastify.db.tail), {
      tickMs: fastify.config.LIVE_TICK_MS,
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
  { name: 'live', dependencies: ['config', 'database'] },
);

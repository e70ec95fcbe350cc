import fp from 'fastify-plugin';
import { LiveHub } from '../query/live-hub.js';
import { sqliteLiveTail } from '../storage/live-tail.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The live feed's hub: one tick for every dashboard socket (read by /metrics). */
    live: LiveHub;
  }
}

/** The live feed's hub, shared by the WebSocket route and the metrics; stopped on close. */
export default fp(
  async (fastify) => {
    const hub = new LiveHub(sqliteLiveTail(fastify.db.sqlite), {
      tickMs: fastify.config.LIVE_TICK_MS,
      onError: (error) => fastify.log.error({ err: error }, 'live tick failed'),
    });
    fastify.decorate('live', hub);
    fastify.addHook('onClose', async () => hub.stop());
  },
  { name: 'live', dependencies: ['config', 'database'] },
);

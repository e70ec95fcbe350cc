import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import { FilterQuerySchema, parseCloseFilters, schemaError, type CloseFilters } from '../../query/filters.js';
import type { LiveHello } from '../../query/schemas.js';

/** Close code for a refused subscription (bad filters): Policy Violation. */
const POLICY_VIOLATION = 1008;
/** A close frame carries at most 123 bytes of reason. */
const MAX_CLOSE_REASON_BYTES = 123;

function closeReason(message: string): string {
  let reason = message;
  while (Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) reason = reason.slice(0, -1);
  return reason;
}

/**
 * `GET /api/v1/live`: a WebSocket that receives a tick of what closed every
 * LIVE_TICK_MS. Bad filters close the socket with 1008 and a reason naming the
 * parameter (browsers cannot read the body of a refused upgrade).
 */
const liveRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  await fastify.register(websocket, { options: { maxPayload: 4096 } });
  const hub = fastify.live;

  fastify.get(
    '/live',
    { websocket: true, attachValidation: true, schema: { summary: 'Live feed of closes (WebSocket)', querystring: FilterQuerySchema } },
    async (socket, request) => {
      let filters: CloseFilters;
      try {
        if (request.validationError) throw schemaError(request.validationError);
        filters = parseCloseFilters(request.query);
      } catch (error) {
        socket.close(POLICY_VIOLATION, closeReason(error instanceof Error ? error.message : 'invalid filters'));
        return;
      }
      const hello: LiveHello = { type: 'hello', serverTime: Date.now(), tickMs: fastify.config.LIVE_TICK_MS };
      socket.send(JSON.stringify(hello));
      const client = await hub.add(socket, filters);
      if (socket.readyState !== socket.OPEN) hub.remove(client);
      else socket.on('close', () => hub.remove(client));
    },
  );
};

export default liveRoutes;

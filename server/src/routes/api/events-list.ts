import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DEFAULT_EVENT_LIMIT, MAX_EVENT_LIMIT, queryEvents } from '../../query/events.js';
import { EventsPageSchema } from '../../query/schemas.js';
import { ERROR_RESPONSES, markPath, querySchema, readFilters } from './query-route.js';

const HINTS = {
  limit: `must be an integer from 1 to ${MAX_EVENT_LIMIT}`,
  cursor: 'must be the nextCursor of a previous page',
};

/** `GET /api/v1/events`: the raw events, newest first, paged with an opaque cursor. */
const eventsListRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/events',
    {
      attachValidation: true,
      schema: {
        summary: 'List close events, newest first',
        querystring: querySchema({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_EVENT_LIMIT })),
          cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        }),
        response: { 200: EventsPageSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const query = readFilters(request, HINTS);
      const { limit = DEFAULT_EVENT_LIMIT, cursor } = request.query;
      markPath(reply, 'events');
      return queryEvents(fastify.db.events, query, { limit, names: fastify.codeNames.map, ...(cursor === undefined ? {} : { cursor }) });
    },
  );
};

export default eventsListRoutes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ownOrigins } from '../../auth/auth-plugin.js';
import { ErrorBodySchema, HttpError } from '../../http/http-error.js';
import { FilterQuerySchema, parseCloseFilters, schemaError, type CloseFilters } from '../../query/filters.js';
import type { LiveHello } from '../../query/schemas.js';

/** How often an open live socket's credential is checked again, in ms. */
export const LIVE_RECHECK_MS = 10_000;

/** Close code when the credential that opened the socket ended (an application code: 4401, like HTTP 401). */
export const CREDENTIAL_ENDED = 4401;

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
  const hub = fastify.live;
  const { LIVE_MAX_CLIENTS, PUBLIC_URL } = fastify.config;

  fastify.post(
    '/live/ticket',
    {
      schema: {
        summary: 'A short-lived ticket that opens the live feed (?ticket=...) where the session cookie cannot go',
        response: { 200: Type.Object({ ticket: Type.String(), expiresAt: Type.Integer() }), 401: ErrorBodySchema, 403: ErrorBodySchema },
      },
    },
    async (request) => fastify.auth.issueLiveTicket(request.principal ?? { kind: 'local' }),
  );

  fastify.get(
    '/live',
    {
      websocket: true,
      attachValidation: true,
      schema: {
        summary: 'Live feed of closes (WebSocket)',
        querystring: Type.Object({ ...FilterQuerySchema.properties, ticket: Type.Optional(Type.String({ maxLength: 256 })) }),
      },
      // Before the upgrade, so a refused socket costs nothing and the refusal is an HTTP answer.
      preValidation: async (request) => {
        const origin = request.headers.origin;
        // A page of another site must not ride on the dashboard's session cookie.
        if (origin !== undefined && !ownOrigins(request, PUBLIC_URL).includes(origin)) {
          throw new HttpError(403, 'FOREIGN_ORIGIN', `the live feed only serves the dashboard's own pages, not ${origin}; set PUBLIC_URL if the dashboard is served under another address`);
        }
        if (hub.clientCount >= LIVE_MAX_CLIENTS) {
          throw new HttpError(503, 'LIVE_FULL', `the live feed serves at most ${LIVE_MAX_CLIENTS} clients (LIVE_MAX_CLIENTS); retry later`, { 'retry-after': '30' });
        }
      },
    },
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
      if (socket.readyState !== socket.OPEN) {
        hub.remove(client);
        return;
      }
      // The credential was checked at the upgrade; a socket must not outlive it (sign-out,
      // expiry, a password reset, a revoked token), so it is checked again as the socket runs.
      const principal = request.principal;
      const recheck = setInterval(() => {
        if (principal === null) return;
        void fastify.auth.stillValid(principal).then((valid) => {
          if (!valid && socket.readyState === socket.OPEN) socket.close(CREDENTIAL_ENDED, 'the session or token ended; sign in again');
        });
      }, LIVE_RECHECK_MS);
      recheck.unref();
      socket.on('close', () => {
        clearInterval(recheck);
        hub.remove(client);
      });
    },
  );
};

export default liveRoutes;

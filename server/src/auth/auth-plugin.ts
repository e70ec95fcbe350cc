import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../http/http-error.js';
import { bearerToken } from '../ingest/ingest-auth.js';
import { defaultAccess, type Access } from './access.js';
import { LiveTickets } from './live-ticket.js';
import { principalSubject, subjectPrincipal, type Principal } from './principal.js';

/** Name of the dashboard's session cookie. */
export const SESSION_COOKIE = 'closewatch_session';

/** What other parts of the collector ask of access control. */
export interface Auth {
  liveTickets: LiveTickets;
  /** A ticket for the live feed, issued to the request's principal. */
  issueLiveTicket(principal: Principal): { ticket: string; expiresAt: number };
  /**
   * Whether a principal's credential still holds: the session exists and has not
   * expired, the read token is not revoked (within the key cache's 5 s).
   */
  stillValid(principal: Principal): Promise<boolean>;
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: Auth;
  }
}

declare module 'fastify' {
  interface Session {
    /** Set when the admin signed in. */
    admin?: boolean;
    signedInAt?: number;
  }
}

const HOW_TO_READ =
  'sign in to the dashboard, or send a read token as "Authorization: Bearer <token>" (create one with `npm run keys -- create --read --name <name>`)';

/** The origin a browser shows for this collector: PUBLIC_URL's, or the one the request came to. */
export function ownOrigins(request: FastifyRequest, publicUrl: string | undefined): string[] {
  const origins = [`${request.protocol}://${request.host}`];
  if (publicUrl !== undefined) origins.push(new URL(publicUrl).origin);
  return origins;
}

/** Unsafe methods with a session cookie must come from the dashboard's own origin (SameSite=Lax aside). */
function isUnsafe(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/**
 * Access control for the whole collector: the session cookie (a signed id, sessions in
 * the database), read tokens and live tickets, checked against each route's `access`.
 * Also the security headers, and the rate-limit plugin that sign-in and ingest use.
 */
export default fp(
  async (fastify) => {
    const { config } = fastify;
    const accounts = fastify.db.accounts;
    await fastify.register(fastifyHelmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // Plain-http deployments (a laptop, a private network) must keep working.
          upgradeInsecureRequests: null,
        },
      },
      // TLS ends at the operator's proxy, which owns HSTS.
      strictTransportSecurity: false,
    });
    await fastify.register(fastifyRateLimit, {
      global: false,
      // Both limits (sign-in, ingest) count per minute.
      errorResponseBuilder: (_request, context) =>
        new HttpError(429, 'RATE_LIMITED', `too many requests: at most ${context.max} per minute; retry in ${Math.ceil(context.ttl / 1000)} s`),
    });
    await fastify.register(fastifyCookie);
    await fastify.register(fastifySession, {
      secret: await accounts.secret('session_secret'),
      cookieName: SESSION_COOKIE,
      store: fastify.db.sessions,
      saveUninitialized: false,
      // A session lasts SESSION_TTL_HOURS from sign-in, not from the last request (and a
      // read does not rewrite its row).
      rolling: false,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        // Secure when the request came over https (or X-Forwarded-Proto https from a trusted proxy).
        secure: 'auto',
        path: '/',
        maxAge: config.SESSION_TTL_HOURS * 3_600_000,
      },
    });
    const liveTickets = new LiveTickets(await accounts.secret('live_ticket_secret'));
    const stillValid = async (principal: Principal): Promise<boolean> => {
      switch (principal.kind) {
        case 'local':
          return config.CLOSEWATCH_AUTH === 'none';
        case 'session':
          return new Promise((resolve) => fastify.db.sessions.get(principal.sessionId, (error, session) => resolve(!error && session?.admin === true)));
        case 'read-token':
          return fastify.db.keys.isActive(principal.keyId, 'read');
        case 'live-ticket':
          return stillValid(principal.issuedTo);
        default:
          return false;
      }
    };
    fastify.decorate('auth', {
      liveTickets,
      issueLiveTicket: (principal: Principal) => liveTickets.issue(principalSubject(principal) ?? ''),
      stillValid,
    });
    fastify.decorateRequest('principal', null);

    const authenticate = async (request: FastifyRequest): Promise<Principal | null> => {
      if (config.CLOSEWATCH_AUTH === 'none') return { kind: 'local' };
      const secret = bearerToken(request.headers.authorization);
      if (secret !== null) {
        const key = await fastify.db.keys.resolve(secret);
        if (key === null) throw new HttpError(401, 'UNKNOWN_TOKEN', `this token is unknown or revoked; ${HOW_TO_READ}`);
        return key.kind === 'read' ? { kind: 'read-token', keyId: key.id } : { kind: 'ingest-key', key };
      }
      if (request.session.get('admin') === true) return { kind: 'session', sessionId: request.session.sessionId };
      const ticket = (request.query as { ticket?: unknown } | undefined)?.ticket;
      const subject = typeof ticket === 'string' ? liveTickets.verify(ticket) : null;
      const issuedTo = subject === null ? null : subjectPrincipal(subject);
      if (issuedTo !== null && (await stillValid(issuedTo))) return { kind: 'live-ticket', issuedTo };
      return null;
    };

    const enforce = (request: FastifyRequest, access: Access, principal: Principal | null): void => {
      if (access === 'public' || access === 'ingest' || principal?.kind === 'local') return;
      if (principal === null) {
        throw new HttpError(401, 'NOT_SIGNED_IN', access === 'admin' ? 'sign in to the dashboard to make changes' : `this needs a credential: ${HOW_TO_READ}`);
      }
      if (principal.kind === 'ingest-key') {
        throw new HttpError(403, 'INGEST_KEY_CANNOT_READ', `ingest keys only send events; ${HOW_TO_READ}`);
      }
      if (access === 'admin' && principal.kind !== 'session') {
        throw new HttpError(403, 'SESSION_REQUIRED', 'changes need a signed-in dashboard session; read tokens and tickets only read');
      }
      if (principal.kind === 'live-ticket' && request.routeOptions.url !== '/api/v1/live') {
        throw new HttpError(403, 'TICKET_FOR_LIVE_ONLY', `a live ticket only opens /api/v1/live; ${HOW_TO_READ}`);
      }
      if (principal.kind === 'session' && isUnsafe(request.method)) {
        const origin = request.headers.origin;
        if (origin !== undefined && !ownOrigins(request, config.PUBLIC_URL).includes(origin)) {
          throw new HttpError(403, 'FOREIGN_ORIGIN', `a change from ${origin} is refused: the dashboard's own pages make changes`);
        }
      }
    };

    fastify.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
      const access = request.routeOptions.config.access ?? defaultAccess(request.routeOptions.url);
      if (access === 'public' || access === 'ingest') return;
      request.principal = await authenticate(request);
      enforce(request, access, request.principal);
    });

    // Expired sessions are refused when read; this only keeps the table small.
    const prune = setInterval(() => void fastify.db.sessions.prune().catch((error: unknown) => fastify.log.warn({ err: error }, 'session prune failed')), 3_600_000);
    prune.unref();
    fastify.addHook('onClose', async () => clearInterval(prune));
  },
  { name: 'auth', dependencies: ['config', 'database'] },
);

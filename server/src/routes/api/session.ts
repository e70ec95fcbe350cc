import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { verifyPassword } from '../../auth/password.js';
import { ErrorBodySchema, HttpError } from '../../http/http-error.js';

const SessionStateSchema = Type.Object({
  signedIn: Type.Boolean(),
  /** `none` when CLOSEWATCH_AUTH=none: nobody needs to sign in. */
  auth: Type.Union([Type.Literal('password'), Type.Literal('none')]),
  /** When the session ends (epoch ms), or null. */
  expiresAt: Type.Union([Type.Integer(), Type.Null()]),
});

const WRONG_PASSWORD =
  'the password is wrong; it was printed at the first start (or is CLOSEWATCH_ADMIN_PASSWORD), and `npm run keys -- reset-admin-password` sets a new one';

/** `/api/v1/session`: sign in with the admin password, see whether you are, sign out. */
const sessionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { config } = fastify;
  const none = config.CLOSEWATCH_AUTH === 'none';

  fastify.post(
    '/session',
    {
      config: {
        access: 'public',
        // Per client address: a password guesser gets LOGIN_RATE_LIMIT tries a minute.
        rateLimit: { max: config.LOGIN_RATE_LIMIT, timeWindow: 60_000 },
      },
      schema: {
        summary: 'Sign in to the dashboard',
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) }),
        response: { 200: SessionStateSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 429: ErrorBodySchema },
      },
    },
    async (request) => {
      if (none) return { signedIn: true, auth: 'none' as const, expiresAt: null };
      const hash = await fastify.db.accounts.adminPasswordHash();
      if (hash === null || !(await verifyPassword(request.body.password, hash))) throw new HttpError(401, 'WRONG_PASSWORD', WRONG_PASSWORD);
      // A new session id at sign-in: an id planted before cannot be signed in (fixation).
      await request.session.regenerate();
      request.session.set('admin', true);
      request.session.set('signedInAt', Date.now());
      return { signedIn: true, auth: 'password' as const, expiresAt: request.session.cookie.expires?.getTime() ?? null };
    },
  );

  fastify.get(
    '/session',
    { config: { access: 'public' }, schema: { summary: 'Whether this browser is signed in', response: { 200: SessionStateSchema } } },
    async (request) => {
      if (none) return { signedIn: true, auth: 'none' as const, expiresAt: null };
      const signedIn = request.session.get('admin') === true;
      return { signedIn, auth: 'password' as const, expiresAt: signedIn ? (request.session.cookie.expires?.getTime() ?? null) : null };
    },
  );

  fastify.delete(
    '/session',
    { config: { access: 'public' }, schema: { summary: 'Sign out', response: { 204: Type.Null() } } },
    async (request, reply) => {
      await request.session.destroy();
      return reply.status(204).send(null);
    },
  );
};

export default sessionRoutes;

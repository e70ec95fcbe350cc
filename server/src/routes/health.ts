import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBodySchema } from '../http/http-error.js';
import { pendingMigrations } from '../storage/migrations.js';

/** `/healthz` (the process answers) and `/readyz` (database reachable, migrations applied). */
const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/healthz',
    { schema: { response: { 200: Type.Object({ status: Type.Literal('ok'), uptimeSeconds: Type.Number() }) } } },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }),
  );

  fastify.get(
    '/readyz',
    {
      schema: {
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.String(), migrations: Type.Integer() }),
          503: ErrorBodySchema,
        },
      },
    },
    async (request, reply) => {
      try {
        fastify.db.sqlite.prepare('SELECT 1').get();
        await fastify.db.prisma.$queryRaw`SELECT 1`;
        const pending = pendingMigrations(fastify.config.DATABASE_URL);
        if (pending.length > 0) {
          return reply.status(503).send({ error: { code: 'MIGRATIONS_PENDING', message: `migrations not applied: ${pending.join(', ')}; run npm run db:migrate` } });
        }
        const applied = fastify.db.sqlite.prepare('SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL').get() as { n: number };
        return { status: 'ready' as const, database: fastify.db.path, migrations: applied.n };
      } catch (error) {
        request.log.error({ err: error }, 'readiness check failed');
        return reply.status(503).send({ error: { code: 'DATABASE_UNAVAILABLE', message: `the database at ${fastify.db.path} cannot be read: ${(error as Error).message}` } });
      }
    },
  );
};

export default healthRoutes;

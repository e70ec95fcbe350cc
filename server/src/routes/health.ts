import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBodySchema } from '../http/http-error.js';
import { committedMigrations } from '../storage/migrations.js';

/** `/healthz` (the process answers) and `/readyz` (database reachable, migrations applied). */
const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  // The migrations on disk do not change while the collector runs: read them once,
  // so a probe costs two queries on open connections and no file or database opening.
  const expected = committedMigrations();
  const applied = fastify.db.sqlite.prepare<[], { name: string }>(
    'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
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
        const done = new Set(applied.all().map((r) => r.name));
        await fastify.db.prisma.$queryRaw`SELECT 1`;
        const pending = expected.filter((m) => !done.has(m));
        if (pending.length > 0) {
          return reply.status(503).send({ error: { code: 'MIGRATIONS_PENDING', message: `migrations not applied: ${pending.join(', ')}; run npm run db:migrate` } });
        }
        return { status: 'ready' as const, database: fastify.db.path, migrations: done.size };
      } catch (error) {
        request.log.error({ err: error }, 'readiness check failed');
        return reply.status(503).send({ error: { code: 'DATABASE_UNAVAILABLE', message: `the database at ${fastify.db.path} cannot be read: ${(error as Error).message}` } });
      }
    },
  );
};

export default healthRoutes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBodySchema, errorBody } from '../http/http-error.js';

const ReadySchema = Type.Object({
  status: Type.Literal('ready'),
  database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  /** Whether this collector runs alert evaluation and notifications (one per database does). */
  alertLeader: Type.Boolean(),
  migrations: Type.Integer({ description: 'migrations applied' }),
  writer: Type.Object({
    restarts: Type.Integer({ description: 'writer threads started after one died' }),
    lastFailure: Type.Union([Type.String(), Type.Null()], { description: 'the last write failure or thread death, or null' }),
  }),
});

/**
 * `/healthz` (the process answers) and `/readyz` (database reachable, migrations applied,
 * the writer takes writes). Both are open to anyone, so they say nothing of paths or
 * internals: reasons are short, details go to the log.
 */
const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/healthz',
    { config: { access: 'public' }, schema: { response: { 200: Type.Object({ status: Type.Literal('ok'), uptimeSeconds: Type.Number() }) } } },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }),
  );

  fastify.get(
    '/readyz',
    { config: { access: 'public' }, schema: { response: { 200: ReadySchema, 503: ErrorBodySchema } } },
    async (request, reply) => {
      let schema;
      try {
        schema = await fastify.db.schemaStatus();
      } catch (error) {
        request.log.error({ err: error }, 'readiness check failed');
        return reply.status(503).send(errorBody('DATABASE_UNAVAILABLE', 'the database cannot be read; the collector log has the details'));
      }
      if (schema.pending.length > 0) {
        return reply
          .status(503)
          .send(errorBody('MIGRATIONS_PENDING', `migrations not applied: ${schema.pending.join(', ')}; run npm run db:migrate`));
      }
      const writer = await fastify.db.writer.health();
      if (!writer.ok) {
        return reply.status(503).send(errorBody('WRITER_UNAVAILABLE', `ingest cannot store events: ${writer.reason ?? 'unknown'}`));
      }
      return {
        status: 'ready' as const,
        database: fastify.db.engine,
        alertLeader: await fastify.db.leader.holds(),
        migrations: schema.applied,
        writer: { restarts: writer.restarts, lastFailure: writer.lastFailure },
      };
    },
  );
};

export default healthRoutes;

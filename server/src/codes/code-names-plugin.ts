import fp from 'fastify-plugin';
import { CODES_CHANGED, CodeNames, isCodesChanged } from './code-names.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The teams' own close-code names, current within a reload. */
    codeNames: CodeNames & {
      /** Tells every collector on the database (this one included) that names changed. */
      changed(): Promise<void>;
    };
  }
}

/** A missed bus message (a collector reconnecting to PostgreSQL) is made good within this time. */
const RELOAD_EVERY_MS = 30_000;

export default fp(
  async (fastify) => {
    const names = new CodeNames(fastify.db.codeNames);
    await names.reload();
    const reload = (): void => void names.reload().catch((error: unknown) => fastify.log.warn({ err: error }, 'could not reload the code names'));
    const unsubscribe = fastify.db.bus.subscribe((message) => {
      if (isCodesChanged(message)) reload();
    });
    const timer = setInterval(reload, RELOAD_EVERY_MS);
    timer.unref();
    fastify.decorate(
      'codeNames',
      Object.assign(names, {
        async changed(): Promise<void> {
          await names.reload();
          await fastify.db.bus.publish(CODES_CHANGED).catch((error: unknown) => fastify.log.warn({ err: error }, 'could not publish a code-name change'));
        },
      }),
    );
    fastify.addHook('onClose', async () => {
      clearInterval(timer);
      unsubscribe();
    });
  },
  { name: 'code-names', dependencies: ['database'] },
);

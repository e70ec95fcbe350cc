import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { REPO_ROOT } from '../storage/database-url.js';

/** Paths of the single-page dashboard that the browser may load directly. */
const APP_PATHS = ['/reconnects', '/events', '/alerts', '/codes', '/status', '/sign-in'];

/**
 * Serves the built dashboard at `/`. When it has not been built, `/` says how to
 * build it instead of a bare 404.
 */
export default fp(
  async (fastify) => {
    const configured = fastify.config.DASHBOARD_DIR;
    if (configured === '') return;
    const root = isAbsolute(configured) ? configured : resolve(REPO_ROOT, configured);
    if (!existsSync(join(root, 'index.html'))) {
      fastify.get('/', async (_request, reply) =>
        reply
          .status(503)
          .type('text/html')
          .send(
            `<!doctype html><title>closewatch</title><h1>The dashboard is not built</h1>` +
              `<p>The dashboard's files are missing (DASHBOARD_DIR has no <code>index.html</code>). Run <code>npm run build</code>, then reload.</p>` +
              `<p>The API is up: <a href="/readyz">/readyz</a>.</p>`,
          ),
      );
      return;
    }
    await fastify.register(fastifyStatic, { root, prefix: '/', wildcard: true, index: ['index.html'], cacheControl: false });
    for (const path of APP_PATHS) {
      fastify.get(path, async (_request, reply) => reply.sendFile('index.html'));
    }
  },
  { name: 'dashboard', dependencies: ['config'] },
);

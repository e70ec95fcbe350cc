import closeWithGrace from 'close-with-grace';
import { buildApp } from './build-app.js';
import { bootstrapAdminPassword } from './auth/admin-password.js';
import { bootstrapKeys, bootstrapReadToken } from './keys/bootstrap-keys.js';
import { loadConfig } from './plugins/config.js';
import { applyMigrations } from './storage/migrate.js';

/** The hard limit of a graceful stop, in ms: under the 10 s after which orchestrators send SIGKILL. */
const SHUTDOWN_LIMIT_MS = 9_000;

/** Starts the collector: validate config, migrate, build, ensure keys, listen, shut down gracefully. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`closewatch: ${(error as Error).message}\n`);
    process.exit(1);
  }
  await applyMigrations(config.DATABASE_URL, (line) => process.stdout.write(`closewatch: ${line}\n`));
  const app = await buildApp({ config }, { logger: { level: config.LOG_LEVEL } });

  // SIGTERM (docker stop, systemd, Kubernetes) and SIGINT drain: live sockets get 1001,
  // requests in flight are answered, queued batches are committed, running alert rounds
  // save their state; then exit 0. Orchestrators kill after 10 s, so a stop that hangs
  // exits 1 at SHUTDOWN_LIMIT_MS, before that, instead of dying mid-write.
  closeWithGrace({ delay: SHUTDOWN_LIMIT_MS }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error');
    else app.log.info({ signal }, 'shutting down: closing live sockets, finishing requests and queued batches');
    const started = Date.now();
    // Keep-alive connections that were busy when the stop began turn idle once answered;
    // the HTTP server's close waits for them (KEEP_ALIVE_TIMEOUT_MS) unless they are closed.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    try {
      await app.close();
    } finally {
      clearInterval(sweep);
    }
    app.log.info({ ms: Date.now() - started }, 'shut down cleanly: every acknowledged batch is committed');
  });

  await app.ready();
  const keys = await bootstrapKeys(app.db.keys, config.CLOSEWATCH_INGEST_KEY);
  const readToken = await bootstrapReadToken(app.db.keys, config.CLOSEWATCH_READ_TOKEN);
  const password = config.CLOSEWATCH_AUTH === 'none' ? null : await bootstrapAdminPassword(app.db.accounts, config.CLOSEWATCH_ADMIN_PASSWORD);
  // What only this start can tell: secrets generated now, shown once and never again.
  const once: string[] = [];
  if (password?.kind === 'generated') {
    once.push('  Admin password (sign in to the dashboard with it):', '', `    ${password.password}`, '');
  }
  if (keys.kind === 'created-first') {
    once.push('  Ingest key (your services send events with "Authorization: Bearer <key>"):', '', `    ${keys.secret}`, '');
  }
  if (once.length > 0) {
    process.stdout.write(
      ['', '  closewatch: first start. These are shown only this once; store them now.', '', ...once,
        '  Manage keys with `npm run keys -- list`; `npm run keys -- reset-admin-password` sets a new password.', ''].join('\n') + '\n',
    );
  }
  if (keys.kind === 'ensured' && keys.created) app.log.info({ keyId: keys.keyId }, 'created the ingest key given in CLOSEWATCH_INGEST_KEY');
  if (readToken?.created) app.log.info({ keyId: readToken.keyId }, 'created the read token given in CLOSEWATCH_READ_TOKEN');
  if (password?.kind === 'configured' && password.changed) app.log.info('the admin password is now CLOSEWATCH_ADMIN_PASSWORD');
  if (config.CLOSEWATCH_AUTH === 'none') app.log.warn('CLOSEWATCH_AUTH=none: no sign-in; anyone on this machine can read everything');
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  process.stdout.write(`closewatch: collector and dashboard on ${address}/ (API under ${address}/api/v1/)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`closewatch: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

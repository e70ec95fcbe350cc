import closeWithGrace from 'close-with-grace';
import { buildApp } from './build-app.js';
import { bootstrapKeys } from './keys/bootstrap-keys.js';
import { loadConfig } from './plugins/config.js';
import { applyMigrations } from './storage/sqlite/migrations.js';

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

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error');
    else app.log.info({ signal }, 'shutting down: finishing in-flight batches');
    await app.close();
  });

  await app.ready();
  const keys = await bootstrapKeys(app.db.keys, config.CLOSEWATCH_INGEST_KEY);
  if (keys.kind === 'created-first') {
    process.stdout.write(
      [
        '',
        '  closewatch: no ingest key existed, so one was created. It is shown only this once:',
        '',
        `    ${keys.secret}`,
        '',
        '  Send events with "Authorization: Bearer <key>". Manage keys with `npm run keys -- list`.',
        '',
      ].join('\n') + '\n',
    );
  } else if (keys.kind === 'ensured' && keys.created) {
    app.log.info({ keyId: keys.keyId }, 'created the ingest key given in CLOSEWATCH_INGEST_KEY');
  }
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  process.stdout.write(`closewatch: collector and dashboard on ${address}/ (API under ${address}/api/v1/)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`closewatch: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import envSchema from 'env-schema';
import fp from 'fastify-plugin';
import { Type, type Static } from '@sinclair/typebox';

/** Every setting of the collector, with its default; the README's configuration table mirrors this. */
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_URL: Type.String({ pattern: '^file:.+', default: 'file:./data/closewatch.db' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  /** When set, a server key with exactly this value is ensured at start. */
  CLOSEWATCH_INGEST_KEY: Type.Optional(Type.String({ minLength: 16 })),
  /** Largest request body after decompression, in bytes. */
  MAX_BODY_BYTES: Type.Integer({ minimum: 1024, default: 5 * 1024 * 1024 }),
  /** Most events one ingest request may carry. */
  MAX_BATCH_EVENTS: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
  /** Folder of the built dashboard served at `/`; empty disables it. */
  DASHBOARD_DIR: Type.String({ default: 'web/dist' }),
  /** Heap limit of the ingest writer thread, in MB; a thread over it is replaced, its batches get 503. */
  WRITER_HEAP_MB: Type.Integer({ minimum: 16, maximum: 65_536, default: 512 }),
  /** Threads that run reads (stats, events, live feed), each with its own read-only connection. */
  READ_WORKERS: Type.Integer({ minimum: 1, maximum: 64, default: 2 }),
  /** Budget of one read, queueing included, in ms; past it the request gets 503. */
  READ_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
  /** Period of the live feed, in milliseconds. */
  LIVE_TICK_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 1000 }),
});

export type Config = Static<typeof ConfigSchema>;

/**
 * Validates the environment once; a bad value stops the start with a message naming
 * the variable (for example `PORT must be <= 65535`). Only `env` is read: tests and
 * embedders that pass their own settings are not affected by the caller's shell.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  try {
    // env-schema merges process.env under `data` unless told not to.
    return envSchema<Config>({ schema: ConfigSchema, data: env, env: false, dotenv: false });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`invalid configuration: ${detail.replace(/^env\//, '').replace(/ env\//g, ' ')}. See the configuration table in README.md.`);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

export interface ConfigPluginOptions {
  /** Settings to use instead of `process.env` (tests, embedding). */
  config?: Config;
}

export default fp<ConfigPluginOptions>(
  async (fastify, opts) => {
    fastify.decorate('config', opts.config ?? loadConfig());
  },
  { name: 'config' },
);

import envSchema from 'env-schema';
import fp from 'fastify-plugin';
import { Type, type Static } from '@sinclair/typebox';

/** Every setting of the collector, with its default; the README's configuration table mirrors this. */
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  /** `file:` for the embedded SQLite engine, `postgresql://user:password@host:5432/db` for PostgreSQL. */
  DATABASE_URL: Type.String({ pattern: '^(file:.+|postgres(ql)?://.+)', default: 'file:./data/closewatch.db' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  /** When set, a server key with exactly this value is ensured at start. */
  CLOSEWATCH_INGEST_KEY: Type.Optional(Type.String({ minLength: 16 })),
  /** When set, a read token with exactly this value is ensured at start. */
  CLOSEWATCH_READ_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  /** The dashboard's admin password; when unset, one is generated at the first start and printed once. */
  CLOSEWATCH_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 12 })),
  /** `password` (sign-in and read tokens) or `none` (no sign-in; only when HOST is a loopback address). */
  CLOSEWATCH_AUTH: Type.Union([Type.Literal('password'), Type.Literal('none')], { default: 'password' }),
  /** How long a dashboard session lasts, in hours. */
  SESSION_TTL_HOURS: Type.Integer({ minimum: 1, maximum: 24 * 365, default: 168 }),
  /**
   * Which proxies' X-Forwarded-* headers to believe (client address for rate limits,
   * https for the Secure cookie): empty for none, `true`, `loopback`, or addresses and CIDRs, comma separated.
   */
  TRUST_PROXY: Type.String({ default: '' }),
  /** The URL people open the dashboard at (links in notifications, the allowed Origin of the live feed). */
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/]+', maxLength: 512 })),
  /** Serve /metrics without a read token. */
  METRICS_PUBLIC: Type.Boolean({ default: false }),
  /** Sign-in attempts per client address and minute. */
  LOGIN_RATE_LIMIT: Type.Integer({ minimum: 1, maximum: 10_000, default: 10 }),
  /** Ingest requests per key and minute. */
  INGEST_RATE_LIMIT: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 6000 }),
  /** Largest request body after decompression, in bytes. */
  MAX_BODY_BYTES: Type.Integer({ minimum: 1024, default: 5 * 1024 * 1024 }),
  /** Most events one ingest request may carry. */
  MAX_BATCH_EVENTS: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
  /** Folder of the built dashboard served at `/`; empty disables it. */
  DASHBOARD_DIR: Type.String({ default: 'web/dist' }),
  /** Distinct routes kept per service and hour; more are stored as `(other)` (a route holding ids would grow without bound). */
  MAX_ROUTES_PER_SERVICE_HOUR: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 500 }),
  /** Most ingest batches waiting for the writer; past it ingest answers 503 with Retry-After (nothing is lost: SDKs retry). */
  WRITER_QUEUE_BATCHES: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 2000 }),
  /** Most megabytes of events waiting for the writer (estimated), the same way. */
  WRITER_QUEUE_MB: Type.Integer({ minimum: 1, maximum: 65_536, default: 64 }),
  /** Heap limit of the ingest writer thread, in MB; a thread over it is replaced, its batches get 503. */
  WRITER_HEAP_MB: Type.Integer({ minimum: 16, maximum: 65_536, default: 512 }),
  /** Threads that run reads (stats, events, live feed), each with its own read-only connection. */
  READ_WORKERS: Type.Integer({ minimum: 1, maximum: 64, default: 2 }),
  /** Niceness of the read threads on Linux (0-19): when the CPU is short, ingest acknowledgements go before dashboard reads. */
  READ_NICE: Type.Integer({ minimum: 0, maximum: 19, default: 10 }),
  /** SQLite: WAL size (MiB) past which new reads wait, up to 2 s, for the WAL to start over; keeps it from growing while reads overlap. */
  WAL_LIMIT_MB: Type.Integer({ minimum: 16, maximum: 65_536, default: 128 }),
  /** Budget of one read, queueing included, in ms; past it the request gets 503. */
  READ_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
  /** Days raw events (and SDK drop reports) are kept; older ones are pruned, and refused at ingest. */
  RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }),
  /** Days rollups (the per-minute and per-hour counts the charts read) are kept; at least RETENTION_DAYS. */
  ROLLUP_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 400 }),
  /** Minutes between prunes of data past retention; 0 prunes only when asked (tests, embedding). */
  PRUNE_INTERVAL_MINUTES: Type.Integer({ minimum: 0, maximum: 10_080, default: 60 }),
  /** Rows one prune transaction deletes: small, so ingest transactions run between them. */
  PRUNE_BATCH_ROWS: Type.Integer({ minimum: 10, maximum: 100_000, default: 2000 }),
  /** Period of the live feed, in milliseconds. */
  LIVE_TICK_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 1000 }),
  /** Most dashboard sockets on the live feed at once; more are refused with 503. */
  LIVE_MAX_CLIENTS: Type.Integer({ minimum: 1, maximum: 100_000, default: 200 }),
  /** Period of alert evaluation, in ms; 0 evaluates only when asked (tests, embedding). */
  ALERT_EVAL_INTERVAL_MS: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 15_000 }),
  /** Alerts judge the minute that holds now minus this (ms), so closes still in SDK queues count. */
  ALERT_INGEST_LAG_MS: Type.Integer({ minimum: 0, maximum: 300_000, default: 10_000 }),
  /** Longest wait for a notification receiver's answer, in ms. */
  NOTIFY_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  /** Attempts before a notification is given up (with backoff: 2 s, 4 s, ... at most 5 min apart). */
  NOTIFY_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  /** How often a firing alert is sent to Alertmanager again, in ms. */
  ALERTMANAGER_RESEND_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 60_000 }),
  /** Longest an HTTP request may take from its first byte to its answer, in ms. */
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 30_000 }),
  /** How long an idle keep-alive connection stays open, in ms (above the 60 s of common load balancers). */
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 72_000 }),
});

export type Config = Static<typeof ConfigSchema>;

/** Settings without a default (secrets, PUBLIC_URL): an empty value, as compose files pass for an unset variable, means unset. */
const REQUIRED: readonly string[] = ConfigSchema.required ?? [];
const OPTIONAL_SETTINGS = new Set(Object.keys(ConfigSchema.properties).filter((key) => !REQUIRED.includes(key)));

function withoutEmptyOptionals(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([key, value]) => !(value === '' && OPTIONAL_SETTINGS.has(key))));
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Rules that span several settings, checked after the schema. */
function checkCombinations(config: Config): Config {
  if (config.CLOSEWATCH_AUTH === 'none' && !isLoopbackHost(config.HOST)) {
    throw new Error(
      `CLOSEWATCH_AUTH=none turns sign-in off, which is only allowed when HOST is a loopback address (HOST is ${config.HOST}); ` +
        'remove CLOSEWATCH_AUTH or set HOST=127.0.0.1',
    );
  }
  if (config.ROLLUP_RETENTION_DAYS < config.RETENTION_DAYS) {
    throw new Error(
      `ROLLUP_RETENTION_DAYS (${config.ROLLUP_RETENTION_DAYS}) is shorter than RETENTION_DAYS (${config.RETENTION_DAYS}); ` +
        'rollups must outlive the raw events they count: raise ROLLUP_RETENTION_DAYS or lower RETENTION_DAYS',
    );
  }
  return config;
}

/**
 * Validates the environment once; a bad value stops the start with a message naming
 * the variable (for example `PORT must be <= 65535`). Only `env` is read: tests and
 * embedders that pass their own settings are not affected by the caller's shell.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  try {
    // env-schema merges process.env under `data` unless told not to.
    const config = envSchema<Config>({ schema: ConfigSchema, data: withoutEmptyOptionals(env), env: false, dotenv: false });
    return checkCombinations(config);
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

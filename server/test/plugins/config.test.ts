import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/plugins/config.js';

test('every setting has a working default', () => {
  assert.deepEqual(loadConfig({}), {
    PORT: 8080,
    HOST: '127.0.0.1',
    DATABASE_URL: 'file:./data/closewatch.db',
    LOG_LEVEL: 'info',
    CLOSEWATCH_AUTH: 'password',
    SESSION_TTL_HOURS: 168,
    TRUST_PROXY: '',
    METRICS_PUBLIC: false,
    LOGIN_RATE_LIMIT: 10,
    INGEST_RATE_LIMIT: 6000,
    MAX_BODY_BYTES: 5 * 1024 * 1024,
    MAX_BATCH_EVENTS: 10_000,
    DASHBOARD_DIR: 'web/dist',
    MAX_ROUTES_PER_SERVICE_HOUR: 500,
    WRITER_QUEUE_BATCHES: 2000,
    WRITER_QUEUE_MB: 64,
    WRITER_HEAP_MB: 512,
    READ_WORKERS: 2,
    READ_NICE: 10,
    WAL_LIMIT_MB: 128,
    READ_TIMEOUT_MS: 10_000,
    RETENTION_DAYS: 30,
    ROLLUP_RETENTION_DAYS: 400,
    PRUNE_INTERVAL_MINUTES: 60,
    PRUNE_BATCH_ROWS: 2000,
    LIVE_TICK_MS: 1000,
    LIVE_MAX_CLIENTS: 200,
    ALERT_EVAL_INTERVAL_MS: 15_000,
    ALERT_INGEST_LAG_MS: 10_000,
    NOTIFY_TIMEOUT_MS: 10_000,
    NOTIFY_MAX_ATTEMPTS: 10,
    ALERTMANAGER_RESEND_MS: 60_000,
    REQUEST_TIMEOUT_MS: 30_000,
    KEEP_ALIVE_TIMEOUT_MS: 72_000,
  });
});

test('values are parsed and bad ones are named', () => {
  assert.equal(loadConfig({ PORT: '9000' }).PORT, 9000);
  assert.throws(() => loadConfig({ PORT: '70000' }), /invalid configuration: PORT must be <= 65535/);
  assert.throws(() => loadConfig({ RETENTION_DAYS: '0' }), /invalid configuration: RETENTION_DAYS must be >= 1/);
  assert.throws(
    () => loadConfig({ RETENTION_DAYS: '90', ROLLUP_RETENTION_DAYS: '60' }),
    /ROLLUP_RETENTION_DAYS \(60\) is shorter than RETENTION_DAYS \(90\); rollups must outlive the raw events they count/,
  );
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be integer/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL must match pattern/);
  assert.throws(() => loadConfig({ CLOSEWATCH_INGEST_KEY: 'short' }), /CLOSEWATCH_INGEST_KEY must NOT have fewer than 16 characters/);
  assert.throws(() => loadConfig({ CLOSEWATCH_READ_TOKEN: '15-characters..' }), /CLOSEWATCH_READ_TOKEN must NOT have fewer than 16 characters/);
  assert.equal(loadConfig({ CLOSEWATCH_READ_TOKEN: '16-characters...' }).CLOSEWATCH_READ_TOKEN, '16-characters...');
  assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
});

test('settings passed in are the only ones read: a hostile shell environment changes nothing', () => {
  const hostile = { HOST: '0.0.0.0', PORT: '1', LIVE_TICK_MS: '50', DATABASE_URL: 'file:/nonexistent/x.db', CLOSEWATCH_INGEST_KEY: 'cw_from_the_shell_0123456789' };
  const saved = Object.fromEntries(Object.keys(hostile).map((k) => [k, process.env[k]]));
  Object.assign(process.env, hostile);
  try {
    const config = loadConfig({ PORT: '9000' });
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.PORT, 9000);
    assert.equal(config.LIVE_TICK_MS, 1000);
    assert.equal(config.DATABASE_URL, 'file:./data/closewatch.db');
    assert.equal(config.CLOSEWATCH_INGEST_KEY, undefined);
    // With no argument the process environment is the source, as `npm start` needs.
    assert.throws(() => loadConfig(), /LIVE_TICK_MS must be >= 100/);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('an empty value of a setting without a default means unset, as compose files pass them', () => {
  const config = loadConfig({ CLOSEWATCH_INGEST_KEY: '', CLOSEWATCH_ADMIN_PASSWORD: '', PUBLIC_URL: '', DASHBOARD_DIR: '' });
  assert.equal(config.CLOSEWATCH_INGEST_KEY, undefined);
  assert.equal(config.CLOSEWATCH_ADMIN_PASSWORD, undefined);
  assert.equal(config.PUBLIC_URL, undefined);
  assert.equal(config.DASHBOARD_DIR, '', 'an empty DASHBOARD_DIR still turns the dashboard off');
});

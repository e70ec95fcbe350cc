import type { FastifyInstance, InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { AppOptions } from '../../src/app.js';
import { buildApp } from '../../src/build-app.js';
import { loadConfig, type Config } from '../../src/plugins/config.js';
import { withRouteTable } from './route-table.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_KEY = 'cw_test_key_0123456789abcdef';
/** A read token every test app has (CLOSEWATCH_READ_TOKEN). */
export const TEST_READ_TOKEN = 'cw_test_read_token_0123456789';

export interface TestApp {
  app: FastifyInstance;
  /** Every route the current app registered, in order (fastify's onRoute; HEAD routes included). */
  routes: RouteOptions[];
  db: TestDatabase;
  config: Config;
  /** A server key, ensured at start. */
  key: string;
  /** A read token, ensured at start. */
  readToken: string;
  /** `app.inject` with the read token, unless the request brings its own Authorization. */
  inject(request: string | InjectOptions): Promise<LightMyRequestResponse>;
  /**
   * A connection of the test's own to the database file, to check what was stored (or
   * to break it on purpose); the collector itself never exposes one.
   */
  readonly sqlite: Database.Database;
  /**
   * Rows of a statement of the test's own on either engine (`?` placeholders; integers
   * and sums come back as numbers, booleans as they are stored: 0/1 or false/true).
   */
  query<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]>;
  /** Closes the app (draining writes); keeps the database for a restart. */
  close(): Promise<void>;
  /** Starts a new app on the same database (a collector restart). */
  restart(): Promise<FastifyInstance>;
  /** Closes the app and deletes the database. */
  destroy(): Promise<void>;
}

/**
 * The real collector on a fresh migrated SQLite file, with `TEST_KEY` ensured.
 * Nothing is mocked: use `app.inject` or `app.listen({ port: 0 })`.
 */
export async function startTestApp(
  overrides: Partial<Record<keyof Config, string>> = {},
  existing?: TestDatabase,
  appOptions: Omit<AppOptions, 'config'> = {},
): Promise<TestApp> {
  const db = existing ?? (await createTestDatabase());
  // No prune on a timer: fixtures hold events of fixed dates, which a prune a minute after
  // the start would delete once they are older than RETENTION_DAYS (tests call runNow()).
  const config = loadConfig({
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    DASHBOARD_DIR: '',
    CLOSEWATCH_INGEST_KEY: TEST_KEY,
    PRUNE_INTERVAL_MINUTES: '0',
    ...overrides,
  });
  const open = async (): Promise<{ app: FastifyInstance; routes: RouteOptions[] }> => {
    const built = await withRouteTable(() => buildApp({ ...appOptions, config }));
    await built.app.ready();
    await built.app.db.keys.ensure(TEST_KEY, 'test');
    await built.app.db.keys.ensure(TEST_READ_TOKEN, 'test reads', 'read');
    return built;
  };
  const opened = await open();
  let inspector: Database.Database | null = null;
  let pgInspector: pg.Client | null = null;
  const handle: TestApp = {
    app: opened.app,
    routes: opened.routes,
    db,
    config,
    key: TEST_KEY,
    readToken: TEST_READ_TOKEN,
    inject: (request) => {
      const options: InjectOptions = typeof request === 'string' ? { url: request } : request;
      const headers = { ...(options.headers ?? {}) };
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) headers.authorization = `Bearer ${TEST_READ_TOKEN}`;
      return handle.app.inject({ ...options, headers });
    },
    get sqlite() {
      if (db.engine !== 'sqlite') throw new Error('t.sqlite is for SQLite runs; use t.query');
      inspector ??= new Database(db.path);
      inspector.pragma('busy_timeout = 5000');
      return inspector;
    },
    async query<T>(text: string, ...params: unknown[]): Promise<T[]> {
      if (db.engine === 'sqlite') {
        const statement = handle.sqlite.prepare(text);
        if (!statement.reader) {
          statement.run(...params);
          return [];
        }
        return statement.all(...params) as T[];
      }
      if (pgInspector === null) {
        pgInspector = new pg.Client({ connectionString: db.url, types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format)) } as pg.CustomTypesConfig });
        await pgInspector.connect();
      }
      let n = 0;
      return (await pgInspector.query(text.replace(/\?/g, () => `$${(n += 1)}`), params)).rows as T[];
    },
    close: () => handle.app.close(),
    restart: async () => {
      await handle.app.close();
      ({ app: handle.app, routes: handle.routes } = await open());
      return handle.app;
    },
    destroy: async () => {
      await handle.app.close();
      inspector?.close();
      await pgInspector?.end();
      await db.cleanup();
    },
  };
  return handle;
}

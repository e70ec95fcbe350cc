import pg from 'pg';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Counts, sums and epoch milliseconds come back as numbers, as they do from SQLite:
 * `bigint` columns (epoch ms, seq) and `numeric` sums stay far below 2^53 here.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface PgPoolOptions {
  url: string;
  /** Most connections of this pool. */
  max: number;
  /** Ends each statement after this many ms (the read budget); 0 for none. */
  statementTimeoutMs?: number;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  /** Server settings for every session of this pool (`-c name=value` at connect). */
  settings?: Readonly<Record<string, string | number>>;
  /** Errors of idle connections (a restarted server): logged, never thrown. */
  onError: (error: Error) => void;
}

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient | pg.Client;

export function createPgPool(options: PgPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    types,
    application_name: options.applicationName,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    ...(options.settings ? { options: Object.entries(options.settings).map(([name, value]) => `-c ${name}=${value}`).join(' ') } : {}),
    connectionTimeoutMillis: 10_000,
  });
  pool.on('error', options.onError);
  return pool;
}

/** One connection outside any pool (LISTEN, the leader lock): its session is what matters. */
export function createPgClient(url: string, applicationName: string): pg.Client {
  return new pg.Client({ connectionString: url, types, application_name: applicationName, connectionTimeoutMillis: 10_000 });
}

/** The SQLSTATE of a PostgreSQL error, or null. */
export function sqlState(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** PostgreSQL's error classes as an operator reads them. */
export function describePostgresFailure(error: unknown): string {
  const code = sqlState(error);
  const errno = (error as { code?: unknown } | null)?.code;
  if (errno === 'ECONNREFUSED' || errno === 'ENOTFOUND' || errno === 'ETIMEDOUT' || errno === 'ECONNRESET') return 'PostgreSQL cannot be reached';
  if (code === null) return /terminat|Connection/i.test(String((error as Error)?.message)) ? 'PostgreSQL cannot be reached' : 'the database refused the write';
  if (code === '53100') return 'the disk is full';
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return 'PostgreSQL cannot be reached';
  if (code === '25006') return 'the database is read-only';
  if (code.startsWith('53')) return 'PostgreSQL is out of resources';
  if (code === '40P01' || code === '40001') return 'the write conflicted with another collector';
  return 'the database refused the write';
}

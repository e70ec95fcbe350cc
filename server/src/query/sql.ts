import { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../storage/prisma-client.js';
import { NO_CODE_SENTINEL } from '../storage/rollup-deltas.js';

export { Prisma };

/** A row of a raw query; column types depend on the driver, so read them through the helpers below. */
export type Row = Record<string, unknown>;

/**
 * Integers are bound as BigInt: Prisma binds JS numbers as REAL, which turns
 * `bucket / 60000` into a float division and compares epoch ms as doubles.
 */
export const int = (n: number): bigint => BigInt(n);

/** SQLite integers come back as `bigint` or `number` depending on the column; counts fit a double. */
export function toNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return 0;
  return Number(value);
}

export function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/** A code column of either storage form (rollups use -1, events NULL) as the API's `number | null`. */
export function toCode(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const code = toNumber(value);
  return code === NO_CODE_SENTINEL ? null : code;
}

export function toText(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === 1n;
}

/** Every read of the query API goes through here (Prisma's raw SQL over the shared better-sqlite3 adapter). */
export async function readRows(prisma: PrismaClient, query: Prisma.Sql): Promise<Row[]> {
  return prisma.$queryRaw<Row[]>(query);
}

/** `a AND b AND ...`, or a true condition when there is nothing to check. */
export function and(conditions: readonly Prisma.Sql[]): Prisma.Sql {
  return conditions.length === 0 ? Prisma.sql`1 = 1` : Prisma.join(conditions, ' AND ');
}

export function or(conditions: readonly Prisma.Sql[]): Prisma.Sql {
  return conditions.length === 0 ? Prisma.sql`1 = 0` : Prisma.sql`(${Prisma.join(conditions, ' OR ')})`;
}

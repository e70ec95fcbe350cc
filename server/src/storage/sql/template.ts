import sqlTag, { empty, join, raw, Sql } from 'sql-template-tag';

/**
 * Parameterised SQL for both engines: values never enter the text. `.sql` renders
 * SQLite's `?` placeholders, `.text` PostgreSQL's `$1`.
 */
export const sql = sqlTag;
export { empty, join, raw, Sql };

/** Integers are bound as BigInt, so both drivers compare and divide them as integers. */
export const int = (n: number): bigint => BigInt(n);

/** `a AND b AND ...`, or a true condition when there is nothing to check. */
export function and(conditions: readonly Sql[]): Sql {
  return conditions.length === 0 ? sql`1 = 1` : join(conditions, ' AND ');
}

export function or(conditions: readonly Sql[]): Sql {
  return conditions.length === 0 ? sql`1 = 0` : sql`(${join(conditions, ' OR ')})`;
}

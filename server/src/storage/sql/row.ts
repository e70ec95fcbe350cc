import { NO_CODE_SENTINEL } from '../types.js';

/** A row of a raw query; column types depend on the driver, so read them through the helpers below. */
export type Row = Record<string, unknown>;

/** Integers come back as `bigint`, `number` or (PostgreSQL bigint) `string`; counts fit a double. */
export function toNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return 0;
  return Number(value);
}

export function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/** A code column of either storage form (rollups use -1, events NULL) as `number | null`. */
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

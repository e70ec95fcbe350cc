import { HttpError } from '../http/http-error.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const YEAR_2000_MS = 946_684_800_000;
const MAX_FUTURE_MS = 366 * 86_400_000;

/**
 * A time in a request body or query (epoch ms or RFC 3339), between the year 2000 and a
 * year ahead.
 * @throws {HttpError} 400 naming `field`
 */
export function parseTimeParam(field: string, value: number | string, now: number = Date.now()): number {
  const ms = typeof value === 'number' ? value : /^\d{1,16}$/.test(value) ? Number(value) : RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new HttpError(400, 'INVALID_TIME', `${field}: "${String(value).slice(0, 40)}" must be epoch milliseconds or RFC 3339, for example 2026-11-26T10:00:00Z`);
  }
  if (ms < YEAR_2000_MS || ms > now + MAX_FUTURE_MS) {
    throw new HttpError(400, 'INVALID_TIME', `${field}: ${String(value).slice(0, 40)} is outside 2000-01-01 to a year from now`);
  }
  return Math.trunc(ms);
}

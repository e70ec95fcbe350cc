import { describeCloseCode, isAbnormalClose, type CloseCategory, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import { AGAIN_CODE, ERROR_CODE } from '../storage/types.js';

export { AGAIN_CODE, ERROR_CODE };

/** The registry fields every code in a response carries. */
export interface CodeFields {
  code: number | null;
  name: string;
  shortName: string;
  category: CloseCategory;
}

/** The fields of a code, named by the team's own names when it has one (`names`, default none). */
export function codeFields(code: number | null, names?: CustomCloseCodes): CodeFields {
  const info = describeCloseCode(code, names);
  return { code, name: info.name, shortName: info.shortName, category: info.category };
}

/** The timeseries key of a code: the code as a string, `none` for no code. */
export function codeKey(code: number | null): string {
  return code === null ? 'none' : String(code);
}

/** Abnormal / error / again counts of one group, the three figures the dashboard shows everywhere. */
export interface Severity {
  total: number;
  abnormal: number;
  error: number;
  again: number;
}

export const emptySeverity = (): Severity => ({ total: 0, abnormal: 0, error: 0, again: 0 });

export function addToSeverity(into: Severity, code: number | null, count: number): void {
  into.total += count;
  if (isAbnormalClose(code)) into.abnormal += count;
  if (code === ERROR_CODE) into.error += count;
  if (code === AGAIN_CODE) into.again += count;
}

/** count / total, 0 when there is nothing to divide. */
export function share(count: number, total: number): number {
  return total === 0 ? 0 : count / total;
}

/** Sorts by count (desc), then by a stable key, so equal counts do not reorder between calls. */
export function byCountDesc<T>(count: (item: T) => number, key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => count(b) - count(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

/** A value of a column array sent to PostgreSQL. */
export type ArrayElement = string | number | boolean | null | undefined;

const QUOTE_OR_BACKSLASH = /["\\]/;

/**
 * The text form of a one-dimensional PostgreSQL array, `{1,NULL,"a \"b\""}`, to bind to
 * a `$n::type[]` parameter. The rollups and the reconnect matching send a dozen arrays a
 * transaction; node-postgres would build the same text through its generic per-element
 * conversion, which took 5% of a collector's CPU at full ingest.
 */
export function arrayLiteral(values: readonly ArrayElement[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i += 1) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else out += QUOTE_OR_BACKSLASH.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`;
  }
  return `${out}}`;
}

/** The array literal of each of `columns` columns of `rows`, read by `pick` in column order. */
export function columnArrays<T>(rows: readonly T[], columns: number, pick: (row: T) => readonly ArrayElement[]): string[] {
  const arrays: ArrayElement[][] = Array.from({ length: columns }, () => new Array<ArrayElement>(rows.length));
  rows.forEach((row, r) => pick(row).forEach((v, c) => ((arrays[c] as ArrayElement[])[r] = v)));
  return arrays.map(arrayLiteral);
}

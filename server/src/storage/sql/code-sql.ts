import { CLOSE_CATEGORIES, categoryCodeRanges, type CloseCategory, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import { AGAIN_CODE, ERROR_CODE, NO_CODE_SENTINEL } from '../types.js';
import { int, join, or, sql, type Sql } from './template.js';


/** `code` (a source column, -1 for "no code") is in one of `categories` by the registry's ranges. */
export function codeInCategories(categories: readonly CloseCategory[]): Sql {
  const parts: Sql[] = [];
  for (const category of categories) {
    const { ranges, includesNoCode } = categoryCodeRanges(category);
    for (const [lo, hi] of ranges) parts.push(lo === hi ? sql`code = ${int(lo)}` : sql`code BETWEEN ${int(lo)} AND ${int(hi)}`);
    if (includesNoCode) parts.push(sql`code = ${int(NO_CODE_SENTINEL)}`);
  }
  return or(parts);
}

/**
 * The category of `code` as its position in CLOSE_CATEGORIES: grouping by it keeps a
 * series per category, whatever codes arrive. Codes the team named (`custom`) come first,
 * in the category the team gave them.
 */
export function categoryIndexSql(custom?: CustomCloseCodes): Sql {
  const named = CLOSE_CATEGORIES.flatMap((category, index) => {
    const { include } = categoryCodeRanges(category, custom);
    return include.length === 0 ? [] : [sql`WHEN code IN (${join(include.map(int))}) THEN ${int(index)}`];
  });
  const whens = CLOSE_CATEGORIES.map((category, index) => sql`WHEN ${codeInCategories([category])} THEN ${int(index)}`);
  return sql`CASE ${join([...named, ...whens], ' ')} ELSE ${int(CLOSE_CATEGORIES.indexOf('invalid'))} END`;
}

/**
 * Totals of a group as the dashboard shows them everywhere: all closes, abnormal ones
 * (no close frame or a server error, `isAbnormalClose`), 1011 and 1013.
 */
export function severityColumns(count: Sql = sql`count`): Sql {
  return sql`SUM(${count}) AS total,
    SUM(CASE WHEN ${codeInCategories(['abnormal', 'server-error'])} THEN ${count} ELSE 0 END) AS abnormal,
    SUM(CASE WHEN code = ${int(ERROR_CODE)} THEN ${count} ELSE 0 END) AS error,
    SUM(CASE WHEN code = ${int(AGAIN_CODE)} THEN ${count} ELSE 0 END) AS again`;
}

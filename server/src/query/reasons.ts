import type { CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { StatsReader } from '../storage/sql/stats-reader.js';
import type { ReadPath } from '../storage/types.js';
import { codeFields, codeKey } from './code-info.js';
import type { ParsedQuery } from './filters.js';
import type { Reasons } from './schemas.js';

export const DEFAULT_REASON_LIMIT = 5;
export const MAX_REASON_LIMIT = 50;
export const MAX_EXAMPLES = 3;

/**
 * Examples come from the newest closes of a code in the window, at most this many per
 * code: the scan stays bounded on week-long ranges, and a template too rare to appear
 * among them gets fewer (or no) examples.
 */
export const EXAMPLE_SCAN_ROWS = 1000;

const exampleKey = (code: number | null, template: string): string => `${codeKey(code)}\u0000${template}`;

/** `GET /stats/reasons`: the top codes, each with its most frequent reason templates and raw examples. */
export async function queryReasons(
  stats: StatsReader,
  query: ParsedQuery,
  limit: number,
  top: number,
  names?: CustomCloseCodes,
): Promise<{ body: Reasons; path: ReadPath }> {
  const read = await stats.templates(query.window, query.filters, top, limit);
  // An empty template is "no reason given": nothing to show, no need to read events.
  const wanted = read.rows
    .map((c) => ({ code: c.code, templates: c.templates.map((t) => t.template).filter((t) => t !== '') }))
    .filter((w) => w.templates.length > 0);
  const examples = new Map<string, string[]>();
  for (const e of await stats.reasonExamples(query.window, query.filters, wanted, MAX_EXAMPLES, EXAMPLE_SCAN_ROWS)) {
    const key = exampleKey(e.code, e.template);
    examples.set(key, [...(examples.get(key) ?? []), e.reason]);
  }
  const codes: Reasons['codes'] = read.rows.map((c) => ({
    ...codeFields(c.code, names),
    count: c.count,
    reasons: c.templates.map((t) => ({ template: t.template, count: t.count, examples: examples.get(exampleKey(c.code, t.template)) ?? [] })),
    otherTemplates: c.otherTemplates,
  }));
  return { body: { window: query.window, codes, otherCodes: read.otherCodes }, path: read.path };
}

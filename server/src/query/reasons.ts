import type { StatsReader } from '../storage/sql/stats-reader.js';
import type { ReadPath } from '../storage/types.js';
import { byCountDesc, codeFields, codeKey } from './code-info.js';
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

interface TemplateCount {
  template: string;
  count: number;
}

const exampleKey = (code: number | null, template: string): string => `${codeKey(code)}\u0000${template}`;

/** `GET /stats/reasons`: per code, its most frequent reason templates with raw examples. */
export async function queryReasons(stats: StatsReader, query: ParsedQuery, limit: number): Promise<{ body: Reasons; path: ReadPath }> {
  const read = await stats.templateCounts(query.window, query.filters);
  const perCode = new Map<string, { code: number | null; count: number; templates: TemplateCount[] }>();
  for (const row of read.rows) {
    const entry = perCode.get(codeKey(row.code)) ?? { code: row.code, count: 0, templates: [] };
    entry.count += row.count;
    entry.templates.push({ template: row.template, count: row.count });
    perCode.set(codeKey(row.code), entry);
  }

  const ordered = [...perCode.values()].sort(byCountDesc((c) => c.count, (c) => codeKey(c.code)));
  const tops = ordered.map((entry) => ({
    entry,
    top: entry.templates.sort(byCountDesc((t) => t.count, (t) => t.template)).slice(0, limit),
  }));
  // An empty template is "no reason given": nothing to show, no need to read events.
  const wanted = tops
    .map(({ entry, top }) => ({ code: entry.code, templates: top.map((t) => t.template).filter((t) => t !== '') }))
    .filter((w) => w.templates.length > 0);
  const examples = new Map<string, string[]>();
  for (const e of await stats.reasonExamples(query.window, query.filters, wanted, MAX_EXAMPLES, EXAMPLE_SCAN_ROWS)) {
    const key = exampleKey(e.code, e.template);
    examples.set(key, [...(examples.get(key) ?? []), e.reason]);
  }
  const codes: Reasons['codes'] = tops.map(({ entry, top }) => ({
    ...codeFields(entry.code),
    count: entry.count,
    reasons: top.map((t) => ({ template: t.template, count: t.count, examples: examples.get(exampleKey(entry.code, t.template)) ?? [] })),
  }));
  return { body: { window: query.window, codes }, path: read.path };
}

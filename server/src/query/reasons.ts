import type { PrismaClient } from '../storage/prisma-client.js';
import { byCountDesc, codeFields, codeKey } from './code-info.js';
import type { ParsedQuery } from './filters.js';
import type { Reasons } from './schemas.js';
import { closeSource, eventConditions, eventRange, type ReadPath } from './sources.js';
import { and, int, Prisma, readRows, toCode, toNumber, toText } from './sql.js';

export const DEFAULT_REASON_LIMIT = 5;
export const MAX_REASON_LIMIT = 50;
export const MAX_EXAMPLES = 3;

/**
 * Examples come from the newest closes of a code in the window, at most this many per
 * code: the scan stays bounded on week-long ranges, and a template too rare to appear
 * among them gets fewer (or no) examples.
 */
export const EXAMPLE_SCAN_ROWS = 1000;

const MAX_CODES_PER_STATEMENT = 100;

interface TemplateCount {
  template: string;
  count: number;
}

interface ExampleWanted {
  code: number | null;
  templates: string[];
}

const exampleKey = (code: number | null, template: string): string => `${codeKey(code)}\u0000${template}`;

/**
 * Up to `MAX_EXAMPLES` distinct raw reasons per wanted (code, template), the most
 * recent first, in one statement: a bounded newest-first scan per code (the (code, ts)
 * index), reduced in SQL so only the examples themselves come back.
 */
async function findExamples(prisma: PrismaClient, query: ParsedQuery, wanted: readonly ExampleWanted[]): Promise<Map<string, string[]>> {
  const examples = new Map<string, string[]>();
  // SQLite allows 500 terms in a compound SELECT; codes with reasons are far fewer in practice.
  for (let i = 0; i < wanted.length; i += MAX_CODES_PER_STATEMENT) {
    const scans = wanted.slice(i, i + MAX_CODES_PER_STATEMENT).map(({ code, templates }) => {
      const codeCondition = code === null ? Prisma.sql`code IS NULL` : Prisma.sql`code = ${int(code)}`;
      return Prisma.sql`SELECT * FROM (
          SELECT code, reason_template, reason, ts FROM close_event
          WHERE ${codeCondition} AND ${eventRange(query.window)} AND ${and(eventConditions(query.filters))}
          ORDER BY ts DESC LIMIT ${int(EXAMPLE_SCAN_ROWS)}
        ) WHERE reason_template IN (${Prisma.join(templates)})`;
    });
    const rows = await readRows(
      prisma,
      Prisma.sql`SELECT code, reason_template, reason FROM (
          SELECT code, reason_template, reason,
            ROW_NUMBER() OVER (PARTITION BY code, reason_template ORDER BY last DESC, reason) AS rank
          FROM (SELECT code, reason_template, reason, MAX(ts) AS last FROM (${Prisma.join(scans, ' UNION ALL ')})
                GROUP BY code, reason_template, reason)
        ) WHERE rank <= ${int(MAX_EXAMPLES)} ORDER BY code, reason_template, rank`,
    );
    for (const row of rows) {
      const key = exampleKey(toCode(row.code), toText(row.reason_template));
      examples.set(key, [...(examples.get(key) ?? []), toText(row.reason)]);
    }
  }
  return examples;
}

/** `GET /stats/reasons`: per code, its most frequent reason templates with raw examples. */
export async function queryReasons(prisma: PrismaClient, query: ParsedQuery, limit: number): Promise<{ body: Reasons; path: ReadPath }> {
  const source = closeSource(query.window, query.filters);
  const rows = await readRows(
    prisma,
    Prisma.sql`SELECT code, reason_template AS template, SUM(count) AS n FROM (${source.sql}) GROUP BY code, reason_template`,
  );
  const perCode = new Map<string, { code: number | null; count: number; templates: TemplateCount[] }>();
  for (const row of rows) {
    const code = toCode(row.code);
    const entry = perCode.get(codeKey(code)) ?? { code, count: 0, templates: [] };
    const count = toNumber(row.n);
    entry.count += count;
    entry.templates.push({ template: toText(row.template), count });
    perCode.set(codeKey(code), entry);
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
  const examples = await findExamples(prisma, query, wanted);
  const codes: Reasons['codes'] = tops.map(({ entry, top }) => ({
    ...codeFields(entry.code),
    count: entry.count,
    reasons: top.map((t) => ({ template: t.template, count: t.count, examples: examples.get(exampleKey(entry.code, t.template)) ?? [] })),
  }));
  return { body: { window: query.window, codes }, path: source.path };
}

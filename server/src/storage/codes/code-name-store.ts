import type { CloseCategory } from '@closewatch/sdk/close-codes';
import type { PrismaClient } from '../sqlite/prisma-client.js';
import { isUniqueViolation } from '../errors.js';

/** Who set a name: a person in the dashboard, or an application through the SDK. */
export type CodeNameSource = 'ui' | 'sdk';

/** What a name says about its code. */
export interface CodeNameFields {
  name: string;
  meaning: string;
  category: CloseCategory;
  retry: boolean;
  alertWorthy: boolean;
}

/** A stored name. */
export interface CodeNameRow extends CodeNameFields {
  code: number;
  source: CodeNameSource;
  /** Epoch ms of the last change. */
  updatedAt: number;
}

/** What an SDK registration did to each code it sent. */
export type RegisterOutcome = 'created' | 'updated' | 'unchanged' | 'kept-ui';

type Stored = { code: number; name: string; meaning: string; category: string; retry: boolean; alertWorthy: boolean; source: string; updatedAt: Date };

function toRow(r: Stored): CodeNameRow {
  return {
    code: r.code,
    name: r.name,
    meaning: r.meaning,
    // Written only through this store, from validated input.
    category: r.category as CloseCategory,
    retry: r.retry,
    alertWorthy: r.alertWorthy,
    source: r.source === 'ui' ? 'ui' : 'sdk',
    updatedAt: r.updatedAt.getTime(),
  };
}

const sameFields = (a: CodeNameFields, b: CodeNameFields): boolean =>
  a.name === b.name && a.meaning === b.meaning && a.category === b.category && a.retry === b.retry && a.alertWorthy === b.alertWorthy;

/** Teams' own names of close codes (table `close_code_name`), through Prisma. */
export class CodeNameStore {
  constructor(private readonly prisma: PrismaClient) {}

  async list(): Promise<CodeNameRow[]> {
    return (await this.prisma.closeCodeName.findMany({ orderBy: { code: 'asc' } })).map(toRow);
  }

  async get(code: number): Promise<CodeNameRow | null> {
    const row = await this.prisma.closeCodeName.findUnique({ where: { code } });
    return row === null ? null : toRow(row);
  }

  /** Sets a name from the dashboard: it wins over the SDK's, now and later. */
  async put(code: number, fields: CodeNameFields): Promise<{ row: CodeNameRow; created: boolean }> {
    const before = await this.prisma.closeCodeName.findUnique({ where: { code } });
    const row = await this.prisma.closeCodeName.upsert({
      where: { code },
      create: { code, ...fields, source: 'ui' },
      update: { ...fields, source: 'ui' },
    });
    return { row: toRow(row), created: before === null };
  }

  async delete(code: number): Promise<boolean> {
    return (await this.prisma.closeCodeName.deleteMany({ where: { code } })).count === 1;
  }

  /**
   * Stores names an application registers at start. A name set in the dashboard is
   * kept as it is; one the SDK set before is replaced (the code is the source of truth).
   */
  async register(entries: ReadonlyArray<{ code: number } & CodeNameFields>): Promise<Array<{ code: number; outcome: RegisterOutcome }>> {
    const outcomes: Array<{ code: number; outcome: RegisterOutcome }> = [];
    for (const { code, ...fields } of entries) {
      outcomes.push({ code, outcome: await this.registerOne(code, fields) });
    }
    return outcomes;
  }

  private async registerOne(code: number, fields: CodeNameFields): Promise<RegisterOutcome> {
    const existing = await this.prisma.closeCodeName.findUnique({ where: { code } });
    if (existing === null) {
      try {
        await this.prisma.closeCodeName.create({ data: { code, ...fields, source: 'sdk' } });
        return 'created';
      } catch (error) {
        // Another instance of the application registered it at the same moment: read what won.
        if (!isUniqueViolation(error)) throw error;
        return this.registerOne(code, fields);
      }
    }
    if (existing.source === 'ui') return 'kept-ui';
    if (sameFields(toRow(existing), fields)) return 'unchanged';
    // Conditional on the source, so a dashboard edit made meanwhile is never overwritten.
    const { count } = await this.prisma.closeCodeName.updateMany({ where: { code, source: 'sdk' }, data: fields });
    return count === 1 ? 'updated' : 'kept-ui';
  }
}

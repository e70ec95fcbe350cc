import type { CustomCloseCode, CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { CodeNameRow, CodeNameStore } from '../storage/codes/code-name-store.js';

/** The bus message that tells every collector on the database to reload the names. */
export const CODES_CHANGED = { type: 'codes', change: 'updated' } as const;

export function isCodesChanged(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'codes';
}

const toCustom = (r: CodeNameRow): CustomCloseCode => ({ name: r.name, meaning: r.meaning, category: r.category, retry: r.retry, alertWorthy: r.alertWorthy });

/**
 * The teams' own code names, kept in memory so every response that shows a code can
 * name it without a query. Reloaded on each change (the bus reaches every collector on
 * one PostgreSQL) and on an interval, in case a message was missed.
 */
export class CodeNames {
  private current: CustomCloseCodes = new Map();
  private loading: Promise<void> | null = null;
  private again = false;

  constructor(private readonly store: CodeNameStore) {}

  /** The names as they are now (a map the callers read, never change). */
  get map(): CustomCloseCodes {
    return this.current;
  }

  /** Reloads from the store; overlapping calls coalesce into one more load after the running one. */
  async reload(): Promise<void> {
    if (this.loading !== null) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.again = false;
          const rows = await this.store.list();
          this.current = new Map(rows.map((r) => [r.code, toCustom(r)]));
        } while (this.again);
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}

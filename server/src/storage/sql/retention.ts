import type { PruneRecord, PruneScope, RetentionStore } from '../storage.js';
import { toText } from './row.js';
import { LAST_PRUNE_KEY, pruneOldestSql, RAW_TABLES, readSettingSql, ROLLUP_TABLES, saveSettingSql } from './retention-sql.js';
import type { RunRead } from './stats-reader.js';
import type { Sql } from './template.js';

/** Runs one maintenance statement where writes run (for SQLite: between the writer's transactions); resolves with rows changed. */
export type RunMaintenance = (statement: Sql) => Promise<number>;

/**
 * Retention for both engines: the statements are shared, the engine says where they run
 * (`exec`) and how freed space goes back to the file system (`reclaim`).
 */
export class Retention implements RetentionStore {
  constructor(
    private readonly exec: RunMaintenance,
    private readonly read: RunRead,
    private readonly reclaim: () => Promise<number>,
  ) {}

  async pruneBatch(scope: PruneScope, before: number, limit: number): Promise<number> {
    for (const table of scope === 'events' ? RAW_TABLES : ROLLUP_TABLES) {
      const deleted = await this.exec(pruneOldestSql(table, before, limit));
      if (deleted > 0) return deleted;
    }
    return 0;
  }

  reclaimStep(): Promise<number> {
    return this.reclaim();
  }

  async lastPrune(): Promise<PruneRecord | null> {
    const [row] = await this.read(readSettingSql(LAST_PRUNE_KEY));
    if (row === undefined) return null;
    try {
      return JSON.parse(toText(row.value)) as PruneRecord;
    } catch {
      return null;
    }
  }

  async recordPrune(record: PruneRecord): Promise<void> {
    await this.exec(saveSettingSql(LAST_PRUNE_KEY, JSON.stringify(record)));
  }
}

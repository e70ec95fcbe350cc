import type { BatchWriteResult, DropReportRow, StoredCloseEvent, StoredOpen } from '../types.js';

/** Messages from the collector to its writer thread. */
export type WriterRequest =
  | { type: 'write'; id: number; events: ReadonlyArray<StoredCloseEvent>; drop: DropReportRow | null }
  | { type: 'ping'; id: number }
  /** One maintenance statement (a prune batch), run between write transactions. */
  | { type: 'exec'; id: number; sql: string; values: unknown[] }
  /** Connections' open notices, stored and matched to the closes they answer in one transaction. */
  | { type: 'opens'; id: number; opens: ReadonlyArray<StoredOpen> }
  /** One step of giving freed pages back to the file system (at most `pages`). */
  | { type: 'reclaim'; id: number; pages: number }
  /** Hour and day rollups summed from minute rows up to `until`; answered with the watermark. */
  | { type: 'rollup'; id: number; until: number }
  | { type: 'close' };

/** Messages from the writer thread back. `code` is SQLite's error code (SQLITE_FULL...), when there is one. */
export type WriterReply =
  | { type: 'written'; id: number; result: BatchWriteResult; transactions: number }
  | { type: 'failed'; id: number; message: string; code: string | null }
  | { type: 'pong'; id: number }
  /** `changes`: rows an exec changed, notices an opens request stored, bytes a reclaim step gave back, or the watermark after a roll-up. */
  | { type: 'done'; id: number; changes: number }
  | { type: 'closed' };

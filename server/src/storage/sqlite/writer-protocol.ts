import type { BatchWriteResult, DropReportRow, StoredCloseEvent } from '../types.js';

/** Messages from the collector to its writer thread. */
export type WriterRequest =
  | { type: 'write'; id: number; events: ReadonlyArray<StoredCloseEvent>; drop: DropReportRow | null }
  | { type: 'ping'; id: number }
  | { type: 'close' };

/** Messages from the writer thread back. `code` is SQLite's error code (SQLITE_FULL...), when there is one. */
export type WriterReply =
  | { type: 'written'; id: number; result: BatchWriteResult; transactions: number }
  | { type: 'failed'; id: number; message: string; code: string | null }
  | { type: 'pong'; id: number }
  | { type: 'closed' };

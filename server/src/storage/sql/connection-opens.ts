import type { StoredOpen } from '../types.js';

/** Notices per transaction: a request's notices are stored in chunks, each atomic. */
const NOTICES_PER_TRANSACTION = 500;

/** What storing a batch of open notices did. */
export interface OpensWriteResult {
  accepted: number;
  /** Notices already stored (a retry of a batch whose answer was lost). */
  duplicates: number;
}

/**
 * Stores a chunk of open notices and matches them to the reconnect-advising closes they
 * answer, in one transaction; answers how many were new. SQLite: on the writer thread,
 * between ingest transactions; PostgreSQL: under the matching's lock.
 */
export type StoreOpens = (opens: ReadonlyArray<StoredOpen>) => Promise<number>;

/** Open notices, stored where the engine writes. A notice's id is unique per ingest key, so a retry changes nothing. */
export class ConnectionOpens {
  constructor(private readonly store: StoreOpens) {}

  async write(opens: ReadonlyArray<StoredOpen>): Promise<OpensWriteResult> {
    let accepted = 0;
    // A failure part-way answers 503, and the retry skips what was stored.
    for (let i = 0; i < opens.length; i += NOTICES_PER_TRANSACTION) accepted += await this.store(opens.slice(i, i + NOTICES_PER_TRANSACTION));
    return { accepted, duplicates: opens.length - accepted };
  }
}

import type { StoredOpen } from '../types.js';
import type { RunMaintenance } from './retention.js';
import { int, join, sql } from './template.js';

/** Rows per INSERT: 8 values each stays far below SQLite's and PostgreSQL's limits on bound values. */
const ROWS_PER_STATEMENT = 500;

/** What storing a batch of open notices did. */
export interface OpensWriteResult {
  accepted: number;
  /** Notices already stored (a retry of a batch whose answer was lost). */
  duplicates: number;
}

/**
 * Stores open notices where writes run (SQLite: on the writer thread, between ingest
 * transactions). A notice's id is unique per ingest key, so a retry changes nothing.
 */
export class ConnectionOpens {
  constructor(private readonly exec: RunMaintenance) {}

  async write(opens: ReadonlyArray<StoredOpen>): Promise<OpensWriteResult> {
    let accepted = 0;
    for (let i = 0; i < opens.length; i += ROWS_PER_STATEMENT) {
      const rows = opens.slice(i, i + ROWS_PER_STATEMENT).map(
        (o) => sql`(${o.keyId}, ${o.noticeId}, ${o.clientKey}, ${int(o.openedAt)}, ${o.service}, ${o.instance}, ${o.route}, ${int(o.receivedAt)})`,
      );
      // Each statement is atomic; a failure part-way answers 503, and the retry skips what was stored.
      accepted += await this.exec(sql`INSERT INTO connection_open (key_id, notice_id, client_key, opened_at, service, instance, route, received_at)
        VALUES ${join(rows)} ON CONFLICT (key_id, notice_id) DO NOTHING`);
    }
    return { accepted, duplicates: opens.length - accepted };
  }
}

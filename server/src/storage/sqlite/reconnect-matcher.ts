import type { Statement } from 'better-sqlite3';
import { addFollowedClose, answeredBySql, isAdvisingClose, keyPrefixOf, moveFollowedClose, nextOpeningSql, type FollowedClose } from '../reconnect-cells.js';
import type { RollupDeltas } from '../rollup-deltas.js';
import { openedAtOf, type StoredCloseEvent } from '../types.js';
import type { SqliteDatabase } from './open-sqlite.js';

/** A connection's opening as the matching sees it: from a stored close (`seq`) or from an open notice. */
export interface Opening {
  clientKey: string;
  service: string;
  openedAt: number;
  /** The close event that carries this opening (it is not its own reconnect); null for a notice. */
  seq: number | null;
  /** The notice that carries it: its connection's own close has the notice's id as event id. */
  notice: { keyId: string; noticeId: string } | null;
}

interface MatchedRow {
  seq: number;
  ts: number;
  code: number;
  agent: string;
  key_prefix: string;
  next_open: number | null;
}

/**
 * The reconnect matching at ingest (SQLite, inside the writer's transaction): each
 * reconnect-advising close is stored in `reconnect_close` with the earliest next opening
 * of the same client and service already stored, and each opening stored later moves the
 * closes it answers to an earlier one. Both keep `next_open` equal to what a search of
 * every stored event and notice would find, and the reconnect cells equal the closes.
 */
export class SqliteReconnectMatcher {
  private readonly nextOpen: Statement;
  private readonly insertClose: Statement;
  private readonly answered: Statement;
  private readonly updateNext: Statement;

  constructor(db: SqliteDatabase) {
    const close = { seq: '@seq', ts: '@ts', clientKey: '@clientKey', service: '@service', keyId: '@keyId', eventId: '@eventId' };
    this.nextOpen = db.prepare(`SELECT ${nextOpeningSql(close, 'close_event AS n INDEXED BY close_event_client_key_opened_at_idx')} AS next_open`);
    this.insertClose = db.prepare(`INSERT INTO reconnect_close (seq, ts, service, code, agent, key_prefix, client_key, next_open)
      VALUES (@seq, @ts, @service, @code, @agent, @keyPrefix, @clientKey, @nextOpen)`);
    // INDEXED BY: without statistics SQLite picks (service, ts), every close of the service in
    // the lookahead, for each event stored (4.5k events/s instead of 17k filling bench:query).
    this.answered = db.prepare(`SELECT r.seq, r.ts, r.code, r.agent, r.key_prefix, r.next_open
      FROM reconnect_close AS r INDEXED BY reconnect_close_client_key_ts_idx
      WHERE ${answeredBySql({ clientKey: '@clientKey', service: '@service', openedAt: '@openedAt', seq: '@seq', notice: { keyId: '@keyId', noticeId: '@noticeId' } })}`);
    this.updateNext = db.prepare('UPDATE reconnect_close SET next_open = ? WHERE seq = ?');
  }

  /** A close event was stored as `seq`: follow it if it advises a reconnect, and match the opening it carries. */
  stored(deltas: RollupDeltas, e: StoredCloseEvent, seq: number): void {
    if (e.clientKey === null) return;
    if (isAdvisingClose(e)) {
      const found = this.nextOpen.get({ clientKey: e.clientKey, ts: e.ts, service: e.service, seq, keyId: e.keyId, eventId: e.eventId }) as { next_open: number | null };
      const close: FollowedClose = { ts: e.ts, code: e.code as number, agent: e.clientAgent ?? '', keyPrefix: keyPrefixOf(e.clientKey) ?? '' };
      this.insertClose.run({ seq, ts: e.ts, service: e.service, code: close.code, agent: close.agent, keyPrefix: close.keyPrefix, clientKey: e.clientKey, nextOpen: found.next_open });
      addFollowedClose(deltas, close, found.next_open);
    }
    const openedAt = openedAtOf(e);
    if (openedAt !== null) this.opened(deltas, { clientKey: e.clientKey, service: e.service, openedAt, seq, notice: null });
  }

  /** A connection opened: it is the next connection of the client's followed closes it answers, where none earlier was. */
  opened(deltas: RollupDeltas, o: Opening): void {
    const rows = this.answered.all({
      clientKey: o.clientKey,
      service: o.service,
      openedAt: o.openedAt,
      seq: o.seq ?? -1,
      keyId: o.notice?.keyId ?? null,
      noticeId: o.notice?.noticeId ?? null,
    }) as MatchedRow[];
    for (const r of rows) {
      this.updateNext.run(o.openedAt, r.seq);
      moveFollowedClose(deltas, { ts: r.ts, code: r.code, agent: r.agent, keyPrefix: r.key_prefix }, r.next_open, o.openedAt);
    }
  }
}

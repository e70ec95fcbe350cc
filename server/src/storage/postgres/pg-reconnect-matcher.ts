import type pg from 'pg';
import { addFollowedClose, answeredBySql, isAdvisingClose, moveFollowedClose, nextOpeningSql } from '../reconnect-cells.js';
import type { RollupDeltas } from '../rollup-deltas.js';
import { openedAtOf, type StoredCloseEvent, type StoredOpen } from '../types.js';
import { arrayLiteral } from './pg-array.js';

/**
 * The transaction lock every collector takes before it matches reconnects. A close and
 * the client's next connection can be ingested at once by two collectors; each one's
 * matching would miss the other's uncommitted row. Under the lock, the second matching
 * runs after the first commits and sees it.
 */
const RECONNECT_MATCH_LOCK = 7_202_613_013;

const FOLLOW_CLOSES = `
  INSERT INTO reconnect_close (seq, ts, service, code, agent, key_prefix, client_key, next_open)
  SELECT c.seq, c.ts, c.service, c.code, COALESCE(c.client_agent, ''),
    COALESCE(CASE WHEN strpos(c.client_key, ':') > 1 THEN split_part(c.client_key, ':', 1) END, ''), c.client_key,
    ${nextOpeningSql({ seq: 'c.seq', ts: 'c.ts', clientKey: 'c.client_key', service: 'c.service', keyId: 'c.key_id', eventId: 'c.event_id' }, 'close_event AS n')}
  FROM close_event AS c WHERE c.seq = ANY($1::int8[])
  RETURNING ts, code, agent, key_prefix, next_open`;

/**
 * Moves the followed closes each opening answers to it, where it is earlier than their
 * next connection so far: one statement for all openings of a transaction. The CTEs
 * read one snapshot, so `matched` holds each close's next connection before the update.
 * Openings carried by closes (`notices` false, the ingest path) are sent without the
 * notice columns, which are NULL for them: two arrays fewer to build and parse an event.
 */
function matchOpeningsSql(notices: boolean): string {
  const columns = [['client_key', 'text'], ['service', 'text'], ['opened_at', 'int8'], ['seq', 'int8'], ...(notices ? [['key_id', 'text'], ['notice_id', 'text']] : [])];
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const answered = answeredBySql({
    clientKey: 'o.client_key',
    service: 'o.service',
    openedAt: 'o.opened_at',
    seq: 'o.seq',
    ...(notices ? { notice: { keyId: 'o.key_id', noticeId: 'o.notice_id' } } : {}),
  });
  return `
  WITH o AS (SELECT * FROM unnest(${arrays}) AS o(${columns.map(([name]) => name).join(', ')})),
    earliest AS (SELECT r.seq, MIN(o.opened_at) AS opened_at FROM o JOIN reconnect_close AS r ON ${answered} GROUP BY r.seq),
    matched AS (SELECT r.seq, r.ts, r.code, r.agent, r.key_prefix, r.next_open AS before, e.opened_at AS after
      FROM reconnect_close AS r JOIN earliest AS e ON e.seq = r.seq),
    moved AS (UPDATE reconnect_close AS r SET next_open = e.opened_at FROM earliest AS e WHERE r.seq = e.seq)
  SELECT * FROM matched`;
}
const MATCH_OPENINGS = { closes: matchOpeningsSql(false), notices: matchOpeningsSql(true) };

interface Opening {
  clientKey: string;
  service: string;
  openedAt: number;
  /** The close event carrying the opening (-1: a notice). */
  seq: number;
  keyId: string | null;
  noticeId: string | null;
}

const num = (v: unknown): number => Number(v);

/**
 * The reconnect matching at ingest (PostgreSQL, inside the ingest transaction): follows
 * the reconnect-advising closes just stored, each with the earliest next connection
 * already committed, and moves earlier closes to the openings just stored. Adds the
 * reconnect cells' changes to `deltas`, written with the other rollups.
 */
export async function matchReconnects(
  client: pg.PoolClient,
  deltas: RollupDeltas,
  stored: ReadonlyArray<{ seq: number; event: StoredCloseEvent }>,
  notices: ReadonlyArray<StoredOpen> = [],
): Promise<void> {
  const followed = stored.filter((s) => isAdvisingClose(s.event)).map((s) => s.seq);
  const openings: Opening[] = [];
  for (const { seq, event: e } of stored) {
    const openedAt = openedAtOf(e);
    if (e.clientKey !== null && openedAt !== null) openings.push({ clientKey: e.clientKey, service: e.service, openedAt, seq, keyId: null, noticeId: null });
  }
  for (const n of notices) openings.push({ clientKey: n.clientKey, service: n.service, openedAt: n.openedAt, seq: -1, keyId: n.keyId, noticeId: n.noticeId });
  if (followed.length === 0 && openings.length === 0) return;
  await client.query('SELECT pg_advisory_xact_lock($1)', [RECONNECT_MATCH_LOCK]);
  if (followed.length > 0) {
    const rows = await client.query({ name: 'closewatch_follow_closes', text: FOLLOW_CLOSES, values: [arrayLiteral(followed)] });
    for (const r of rows.rows) {
      addFollowedClose(deltas, { ts: num(r.ts), code: num(r.code), agent: String(r.agent), keyPrefix: String(r.key_prefix) }, r.next_open === null ? null : num(r.next_open));
    }
  }
  if (openings.length > 0) {
    const values = [
      arrayLiteral(openings.map((o) => o.clientKey)),
      arrayLiteral(openings.map((o) => o.service)),
      arrayLiteral(openings.map((o) => o.openedAt)),
      arrayLiteral(openings.map((o) => o.seq)),
    ];
    const rows = notices.length > 0
      ? await client.query({
          name: 'closewatch_match_notices',
          text: MATCH_OPENINGS.notices,
          values: [...values, arrayLiteral(openings.map((o) => o.keyId)), arrayLiteral(openings.map((o) => o.noticeId))],
        })
      : await client.query({ name: 'closewatch_match_openings', text: MATCH_OPENINGS.closes, values });
    for (const r of rows.rows) {
      const close = { ts: num(r.ts), code: num(r.code), agent: String(r.agent), keyPrefix: String(r.key_prefix) };
      moveFollowedClose(deltas, close, r.before === null ? null : num(r.before), num(r.after));
    }
  }
}

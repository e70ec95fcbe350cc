import { ADVISED_RECONNECT_DELAY_MS, RECONNECT_ADVISING_CODES } from '@closewatch/sdk/close-codes';
import type { RollupDeltas } from './rollup-deltas.js';
import { DAY_MS } from './time-window.js';
import { HOUR_MS, RECONNECT_LOOKAHEAD_MS, type StoredCloseEvent } from './types.js';

/**
 * A connection of the same client opened up to this long before the close still counts
 * as its reconnect: the client may open its next connection (on another instance, whose
 * clock differs a little) before the closing server has seen the TCP connection end.
 */
export const RECONNECT_SKEW_MS = 1_000;

/**
 * Delay steps: 100 ms below the advised window's start (fixed fast delays show as one
 * step), 1 s up to a minute, then the histogram's own edges. Coarser steps past a minute
 * keep the stored cells few (an hour of 7,750 advising closes fits in ~1,500 cells
 * instead of one per close); no figure of the answer needs more there.
 */
export const FINE_STEP_MS = 100;
export const COARSE_STEP_MS = 1_000;
export const FINE_UNTIL_MS = ADVISED_RECONNECT_DELAY_MS.from;
export const COARSE_UNTIL_MS = 60_000;
export const WIDE_STEP_EDGES_MS = [60_000, 120_000, 300_000] as const;

/** The step of a close whose client did not come back within the lookahead. */
export const NOT_RETURNED_STEP = -1;

/** The delay step of a close at `ts` whose client's next connection opened at `nextOpen` (null: not back). */
export function reconnectStep(ts: number, nextOpen: number | null): number {
  if (nextOpen === null) return NOT_RETURNED_STEP;
  const delay = Math.max(0, nextOpen - ts);
  if (delay < FINE_UNTIL_MS) return Math.floor(delay / FINE_STEP_MS) * FINE_STEP_MS;
  if (delay < COARSE_UNTIL_MS) return Math.floor(delay / COARSE_STEP_MS) * COARSE_STEP_MS;
  let step: number = COARSE_UNTIL_MS;
  for (const edge of WIDE_STEP_EDGES_MS) if (delay >= edge) step = edge;
  return step;
}

/** The population prefix of a clientKey: its text before the first `:`, null without one. */
export function keyPrefixOf(clientKey: string): string | null {
  const at = clientKey.indexOf(':');
  return at > 0 ? clientKey.slice(0, at) : null;
}

/** Whether the collector follows this close to the client's next connection: a server's 1001/1012/1013 to a known client. */
export function isAdvisingClose(e: Pick<StoredCloseEvent, 'code' | 'initiator' | 'clientKey'>): boolean {
  return e.clientKey !== null && e.initiator === 'server' && e.code !== null && (RECONNECT_ADVISING_CODES as readonly number[]).includes(e.code);
}

/** A followed close as the reconnect cells key it. Agent and prefix are '' when unknown (key columns cannot be NULL). */
export interface FollowedClose {
  ts: number;
  code: number;
  agent: string;
  keyPrefix: string;
}

/** The rollup tables of followed closes: cells by hour and by day, and closes per second. */
export const RECONNECT_ROLLUPS = {
  reconnect_rollup_hour: ['bucket', 'code', 'agent', 'key_prefix', 'step'],
  reconnect_rollup_day: ['bucket', 'code', 'agent', 'key_prefix', 'step'],
  reconnect_close_second: ['bucket'],
} as const;

function addCell(deltas: RollupDeltas, table: keyof typeof RECONNECT_ROLLUPS, key: Record<string, string | number>, count: number): void {
  const map = deltas.counts.get(table);
  if (map === undefined) throw new Error(`no rollup deltas for ${table}`);
  const id = Object.values(key).join('\u0000');
  const row = map.get(id);
  if (row === undefined) map.set(id, { key, count });
  else row.count += count;
}

function addStep(deltas: RollupDeltas, c: FollowedClose, step: number, count: number): void {
  const cell = { code: c.code, agent: c.agent, key_prefix: c.keyPrefix, step };
  addCell(deltas, 'reconnect_rollup_hour', { bucket: c.ts - (c.ts % HOUR_MS), ...cell }, count);
  addCell(deltas, 'reconnect_rollup_day', { bucket: c.ts - (c.ts % DAY_MS), ...cell }, count);
}

/** Counts a newly followed close in the cells of its step, and in its second. */
export function addFollowedClose(deltas: RollupDeltas, c: FollowedClose, nextOpen: number | null): void {
  addStep(deltas, c, reconnectStep(c.ts, nextOpen), 1);
  addCell(deltas, 'reconnect_close_second', { bucket: c.ts - (c.ts % 1000) }, 1);
}

/** Moves a followed close from the cell of its old next connection to the cell of an earlier one. */
export function moveFollowedClose(deltas: RollupDeltas, c: FollowedClose, before: number | null, after: number): void {
  const from = reconnectStep(c.ts, before);
  const to = reconnectStep(c.ts, after);
  if (from === to) return;
  addStep(deltas, c, from, -1);
  addStep(deltas, c, to, 1);
}

/** A followed close as the matching's SQL reads it: an SQL expression for each of its columns. */
export interface CloseColumns {
  seq: string;
  ts: string;
  clientKey: string;
  service: string;
  keyId: string;
  eventId: string;
}

/**
 * The earliest opening of a close's client and service (in `close_event`, read as
 * `events`: `close_event AS n` with the index hint an engine needs, and in
 * `connection_open`) within the skew before it and the lookahead after
 * it: its next connection, NULL when none. Its own connection does not count: neither the
 * close's own row nor its own open notice (the SDK gives both the same id).
 */
export function nextOpeningSql(c: CloseColumns, events: string): string {
  const within = (column: string) => `${column} >= ${c.ts} - ${RECONNECT_SKEW_MS} AND ${column} < ${c.ts} + ${RECONNECT_LOOKAHEAD_MS}`;
  return `(SELECT MIN(opened_at) FROM (
      SELECT MIN(n.opened_at) AS opened_at FROM ${events}
        WHERE n.client_key = ${c.clientKey} AND ${within('n.opened_at')} AND n.service = ${c.service} AND n.seq <> ${c.seq}
      UNION ALL
      SELECT MIN(o.opened_at) AS opened_at FROM connection_open AS o
        WHERE o.client_key = ${c.clientKey} AND ${within('o.opened_at')} AND o.service = ${c.service}
          AND NOT (o.key_id = ${c.keyId} AND o.notice_id = ${c.eventId})) AS next_opens)`;
}

/**
 * An opening as the matching's SQL reads it: an SQL expression for each field (`seq` -1
 * and the notice's ids for a notice). Without `notice`, every opening is carried by a close.
 */
export interface OpeningColumns {
  clientKey: string;
  service: string;
  openedAt: string;
  seq: string;
  notice?: { keyId: string; noticeId: string };
}

/**
 * Whether the followed close `r` (a `reconnect_close` row) is answered by an opening:
 * same client and service, the opening within the skew before the close or the lookahead
 * after it, earlier than its next connection so far, and not the close's own connection.
 * The inverse of nextOpeningSql's window.
 */
export function answeredBySql(o: OpeningColumns): string {
  const answered = `r.client_key = ${o.clientKey} AND r.ts > ${o.openedAt} - ${RECONNECT_LOOKAHEAD_MS} AND r.ts <= ${o.openedAt} + ${RECONNECT_SKEW_MS}
    AND r.service = ${o.service} AND r.seq <> ${o.seq} AND (r.next_open IS NULL OR r.next_open > ${o.openedAt})`;
  // A close carries its own opening (r.seq <> seq says so); a notice sent with the same id does too.
  if (o.notice === undefined) return answered;
  return `${answered}
    AND NOT EXISTS (SELECT 1 FROM close_event AS own WHERE own.seq = r.seq AND own.key_id = ${o.notice.keyId} AND own.event_id = ${o.notice.noticeId})`;
}

import type pg from 'pg';
import type { EventTail, TailCursor } from '../event-tail.js';
import { EVENT_COLUMNS, toStoredEvent } from '../sql/event-columns.js';
import { int, sql } from '../sql/template.js';
import type { StoredEventRow } from '../types.js';
import type { PgListener } from './pg-listener.js';
import { EVENTS_CHANNEL } from './pg-writer.js';

/** Seqs remembered per cursor to drop a row read twice (ranges of concurrent transactions overlap). */
const SEEN_MAX = 200_000;

/** Longest wait for a barrier's own notification; past it the tail reads what it has. */
const BARRIER_TIMEOUT_MS = 5_000;

/** After a lost LISTEN connection, how far below the highest seq seen the catch-up read starts. */
const CATCH_UP_BELOW = 50_000;

interface Span {
  from: number;
  to: number;
}

function parseSpan(payload: string): Span | null {
  const match = /^(\d+)-(\d+)$/.exec(payload);
  return match ? { from: Number(match[1]), to: Number(match[2]) } : null;
}

/**
 * PostgreSQL's tail. Seqs are taken when rows are inserted but become visible when their
 * transaction commits, and concurrent transactions (of this collector or another) commit
 * out of seq order, so "seq above the last seen" would skip rows. Each writing transaction
 * instead announces its seq span with NOTIFY, which PostgreSQL delivers at commit; the tail
 * reads each announced span and drops the rows it already sent. A lost LISTEN connection
 * is followed by a catch-up read below the highest seq seen.
 *
 * Each `next` first sends a barrier (a notification of its own on the same channel) and
 * waits for it: notifications arrive in commit order, so once the barrier is back, every
 * transaction committed before `next` was called has been announced, and the tail is exact.
 */
export function notifyTail(pool: pg.Pool, listener: PgListener): EventTail {
  return {
    async open(): Promise<TailCursor> {
      const spans: Span[] = [];
      const seen = new Set<number>();
      const barriers = new Map<string, () => void>();
      let barrierCount = 0;
      const order: number[] = [];
      let highest = 0;
      const offEvents = await listener.on(EVENTS_CHANNEL, (payload) => {
        const span = parseSpan(payload);
        if (span) spans.push(span);
        else barriers.get(payload)?.();
      });
      const barrier = async (): Promise<void> => {
        barrierCount += 1;
        const token = `barrier:${process.pid}:${barrierCount}:${Math.random().toString(36).slice(2)}`;
        let timer: NodeJS.Timeout | undefined;
        const back = new Promise<void>((resolve) => {
          barriers.set(token, resolve);
          timer = setTimeout(resolve, BARRIER_TIMEOUT_MS);
        });
        try {
          await pool.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, token]);
          await back;
        } finally {
          clearTimeout(timer);
          barriers.delete(token);
        }
      };
      const offResume = listener.onResume(() => spans.push({ from: Math.max(0, highest - CATCH_UP_BELOW), to: Number.MAX_SAFE_INTEGER }));
      const remember = (seq: number): void => {
        seen.add(seq);
        order.push(seq);
        if (order.length > SEEN_MAX) seen.delete(order.shift() as number);
        if (seq > highest) highest = seq;
      };
      return {
        async next(limit: number): Promise<StoredEventRow[]> {
          const out: StoredEventRow[] = [];
          await barrier();
          while (spans.length > 0 && out.length < limit) {
            const span = spans[0] as Span;
            const want = limit - out.length;
            const query = sql`SELECT ${EVENT_COLUMNS} FROM close_event WHERE seq >= ${int(span.from)} AND seq <= ${int(span.to)} ORDER BY seq LIMIT ${int(want)}`;
            const result = await pool.query(query.text, query.values);
            for (const row of result.rows as Array<Record<string, unknown>>) {
              const event = toStoredEvent(row);
              if (seen.has(event.seq)) continue;
              remember(event.seq);
              out.push(event);
            }
            const last = result.rows[result.rows.length - 1] as Record<string, unknown> | undefined;
            if (result.rows.length === want && last !== undefined) span.from = Number(last.seq) + 1;
            else spans.shift();
          }
          return out;
        },
        close() {
          offEvents();
          offResume();
        },
      };
    },
  };
}

import type pg from 'pg';
import { WriteFailedError, WriterBusyError } from '../errors.js';
import { RouteCap } from '../route-cap.js';
import { addToRollups, CLOSE_ROLLUPS, COUNT_ROLLUPS, emptyRollupDeltas, rollupRows, type RollupDeltas, type RollupRowsOptions } from '../rollup-deltas.js';
import { deltasOfMinuteRows, firstMinuteSql, minuteRowsSql, parseRolledTo, readRolledToSql, ROLLED_TO_KEY, rollUpStep, rollUpTarget, saveRolledToSql } from '../rollup-watermark.js';
import type { Sql } from '../sql/template.js';
import { floorTo } from '../time-window.js';
import type { EventWriter, WriterHealth } from '../storage.js';
import { HOUR_MS, openedAtOf, type BatchWriteResult, type DropReportRow, type StoredCloseEvent, type StoredOpen } from '../types.js';
import { arrayLiteral, columnArrays } from './pg-array.js';
import { copyEvents } from './pg-event-copy.js';
import { describePostgresFailure } from './pg-pool.js';
import { matchReconnects } from './pg-reconnect-matcher.js';

/**
 * The lock between ingest transactions (each takes it shared) and the roll-up (it takes it
 * alone): a roll-up must not sum an hour while a transaction that read the old watermark
 * still adds minute rows to it. See rollup-watermark.ts.
 */
const ROLLUP_LOCK = 7_202_613_014;

/** One round trip: the transaction, the shared roll-up lock, then (a new snapshot, after the lock) the watermark. */
const BEGIN_INGEST = `BEGIN; SELECT pg_advisory_xact_lock_shared(${ROLLUP_LOCK}); SELECT value FROM setting WHERE key = '${ROLLED_TO_KEY}'`;

const query = (client: pg.PoolClient, statement: Sql): Promise<pg.QueryResult> => client.query(statement.text, statement.values);

/** The channel on which each committed transaction announces the seq range it wrote (the live tail). */
export const EVENTS_CHANNEL = 'closewatch_events';

export interface PostgresWriterOptions {
  maxRoutesPerServiceHour: number;
  maxQueuedBatches: number;
  maxQueuedBytes: number;
  /** Most events one transaction takes from the queue. Default 20,000. */
  maxEventsPerTransaction?: number;
  onFailure?: (reason: string, error: unknown) => void;
}

interface Queued {
  events: ReadonlyArray<StoredCloseEvent>;
  drop: DropReportRow | null;
  bytes: number;
  resolve: (result: BatchWriteResult) => void;
  reject: (error: Error) => void;
}

const EVENT_INSERT = `
  INSERT INTO close_event (key_id, event_id, ts, received_at, code, reason, reason_truncated, reason_template,
    was_clean, initiator, source, service, instance, route, duration_ms, messages_in, messages_out, bytes_in,
    bytes_out, labels, remote_addr_hash, client_key, client_agent, opened_at, previous_code, reconnect_delay_ms)
  SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::int4[], $6::text[], $7::bool[], $8::text[],
    $9::bool[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int8[], $16::int8[], $17::int8[],
    $18::int8[], $19::int8[], $20::text[], $21::text[], $22::text[], $23::text[], $24::int8[], $25::int4[], $26::int8[])
  ON CONFLICT (key_id, event_id) DO NOTHING
  RETURNING seq, key_id, event_id`;

/** A rollup upsert from column arrays `$first`..: `columns` with their array types, the key columns, and what the update adds. */
function rollupUpsert(table: string, columns: ReadonlyArray<readonly [string, string]>, keys: readonly string[], first: number): string {
  const sums = columns.filter(([c]) => !keys.includes(c)).map(([c]) => `${c} = ${table}.${c} + excluded.${c}`);
  return `INSERT INTO ${table} (${columns.map(([c]) => c).join(', ')})
    SELECT * FROM unnest(${columns.map(([, type], i) => `$${first + i}::${type}[]`).join(', ')})
    ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${sums.join(', ')}`;
}

const CLOSE_COLUMNS = [
  ['bucket', 'int8'], ['service', 'text'], ['route', 'text'], ['code', 'int4'], ['initiator', 'text'], ['reason_template', 'text'],
  ['count', 'int4'], ['clean_count', 'int4'], ['duration_sum_ms', 'int8'], ['duration_count', 'int4'], ['bytes_in', 'int8'], ['bytes_out', 'int8'],
] as const;
const CLOSE_KEYS = ['bucket', 'service', 'route', 'code', 'initiator', 'reason_template'];
const KEY_TYPES: Record<string, string> = { bucket: 'int8', service: 'text', instance: 'text', code: 'int4', lifetime_bucket: 'int4', reason_template: 'text', step: 'int4' };

/** Every rollup table and its columns, in the one order all collectors write them. */
const ROLLUP_WRITES: ReadonlyArray<{ table: string; columns: ReadonlyArray<readonly [string, string]>; keys: readonly string[] }> = [
  ...CLOSE_ROLLUPS.map((table) => ({ table, columns: CLOSE_COLUMNS, keys: CLOSE_KEYS })),
  ...Object.entries(COUNT_ROLLUPS).map(([table, keys]) => ({ table, keys, columns: [...keys.map((k) => [k, KEY_TYPES[k] ?? 'text'] as const), ['count', 'int4'] as const] })),
];

/**
 * Every rollup upsert of a transaction as one statement (one round trip, prepared once
 * per connection, instead of one each: 15 tables). Tables without rows get empty arrays.
 * Each upsert is a data-modifying CTE; the main query reads them one after the other,
 * which runs them in that order, so every collector still locks rollup rows table by
 * table, key by key, and none deadlocks.
 */
const ROLLUPS_UPSERT = (() => {
  let next = 1;
  const ctes = ROLLUP_WRITES.map(({ table, columns, keys }, i) => {
    const text = `u${i} AS (${rollupUpsert(table, columns, keys, next)} RETURNING 1)`;
    next += columns.length;
    return text;
  });
  return `WITH ${ctes.join(',\n')}\nSELECT ${ROLLUP_WRITES.map((_, i) => `(SELECT count(*) FROM u${i})`).join(', ')}`;
})();

/** Sorts rows by their key, so concurrent collectors lock rollup rows in one order and never deadlock. */
function byKey<T>(rows: Iterable<[string, T]>): T[] {
  return [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** `a-b,c,d-e` of sorted seqs: what a notification carries (well under PostgreSQL's 8000-byte payload). */
export function seqSpan(seqs: readonly number[]): string {
  let min = Infinity;
  let max = -Infinity;
  for (const s of seqs) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return `${min}-${max}`;
}

/**
 * The PostgreSQL ingest path: batches that arrive while a transaction runs are
 * group-committed in the next one, as on SQLite. One transaction writes the events
 * (with COPY, or a multi-row INSERT that skips duplicates when a retry holds one), the rollups
 * that count them (upserts sorted by key), drop reports, and a notification of its seq
 * range that PostgreSQL delivers to every collector's live tail at commit.
 */
export class PostgresWriter implements EventWriter {
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private running = false;
  private closing = false;
  private idle: Array<() => void> = [];
  private readonly routeCap: RouteCap;
  /** Routes stored per service-hour, read just before a transaction needs them. */
  private knownRoutes = new Map<string, string[]>();
  private failuresInARow = 0;
  private lastFailure: string | null = null;
  /** The rollup watermark as the last transaction read it (Infinity until one has). */
  private rolledTo = Infinity;
  transactions = 0;
  committedEvents = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresWriterOptions,
  ) {
    this.routeCap = new RouteCap(options.maxRoutesPerServiceHour, (service, hour) => this.knownRoutes.get(`${hour}\u0000${service}`) ?? []);
  }

  get pendingBatches(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  write(events: ReadonlyArray<StoredCloseEvent>, drop: DropReportRow | null = null): Promise<BatchWriteResult> {
    if (this.closing) return Promise.reject(new WriteFailedError('the collector is shutting down', 'closing'));
    const bytes = events.length * 400;
    if (this.queue.length >= this.options.maxQueuedBatches) {
      return Promise.reject(new WriterBusyError(`${this.queue.length} batches waiting`));
    }
    if (this.queuedBytes + bytes > this.options.maxQueuedBytes && this.queue.length > 0) {
      return Promise.reject(new WriterBusyError(`${Math.round(this.queuedBytes / 1024 / 1024)} MB waiting`));
    }
    return new Promise<BatchWriteResult>((resolve, reject) => {
      this.queue.push({ events, drop, bytes, resolve, reject });
      this.queuedBytes += bytes;
      void this.pump();
    });
  }

  async health(): Promise<WriterHealth> {
    try {
      await this.pool.query('SELECT 1');
    } catch (error) {
      return { ok: false, reason: describePostgresFailure(error), restarts: 0, lastFailure: this.lastFailure };
    }
    const failing = this.failuresInARow > 0;
    return { ok: !failing, reason: failing ? this.lastFailure : null, restarts: 0, lastFailure: this.lastFailure };
  }

  /** Waits for every queued batch to be answered, then takes no more. */
  async close(): Promise<void> {
    this.closing = true;
    if (!this.running && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group: Queued[] = [];
        let events = 0;
        const most = this.options.maxEventsPerTransaction ?? 20_000;
        while (this.queue.length > 0 && (group.length === 0 || events + (this.queue[0] as Queued).events.length <= most)) {
          const next = this.queue.shift() as Queued;
          this.queuedBytes -= next.bytes;
          events += next.events.length;
          group.push(next);
        }
        try {
          const results = await this.commit(group);
          this.failuresInARow = 0;
          group.forEach((q, i) => q.resolve(results[i] as BatchWriteResult));
          if (rollUpTarget(Date.now()) > this.rolledTo) {
            await this.rollUp().catch((error: unknown) => this.options.onFailure?.(`roll-up failed: ${describePostgresFailure(error)}`, error));
          }
        } catch (error) {
          const reason = describePostgresFailure(error);
          this.failuresInARow += 1;
          this.lastFailure = reason;
          this.options.onFailure?.(`ingest transaction failed: ${reason}`, error);
          const failure = new WriteFailedError(reason, error instanceof Error ? error.message : String(error));
          for (const q of group) q.reject(failure);
        }
      }
    } finally {
      this.running = false;
      if (this.queue.length === 0) for (const done of this.idle.splice(0)) done();
    }
  }

  /**
   * Runs `work` in a transaction on a pooled connection, opened by `begin` (statements whose
   * results `work` gets); commits after it, or rolls back and drops a connection that cannot.
   */
  private async transaction<T>(begin: string, work: (client: pg.PoolClient, begun: pg.QueryResult[]) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      const begun = (await client.query(begin)) as unknown as pg.QueryResult | pg.QueryResult[];
      const result = await work(client, Array.isArray(begun) ? begun : [begun]);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async commit(group: readonly Queued[]): Promise<BatchWriteResult[]> {
    try {
      const { results, stored } = await this.transaction(BEGIN_INGEST, (client, begun) => this.writeGroup(client, group, parseRolledTo(begun[2]?.rows[0]?.value)));
      this.transactions += 1;
      this.committedEvents += stored;
      return results;
    } catch (error) {
      // Routes admitted in a transaction that rolled back may not be stored: read them again.
      this.knownRoutes.clear();
      this.routeCap.forget();
      throw error;
    }
  }

  /** The work of one ingest transaction: answers each batch's result and how many events were stored. */
  private async writeGroup(client: pg.PoolClient, group: readonly Queued[], rolledTo: number): Promise<{ results: BatchWriteResult[]; stored: number }> {
    this.rolledTo = rolledTo;
    await this.loadRoutes(client, group);
    const stored: Array<{ batch: number; index: number; event: StoredCloseEvent; capped: boolean }> = [];
    for (let b = 0; b < group.length; b += 1) {
      const batch = (group[b] as Queued).events;
      for (let index = 0; index < batch.length; index += 1) {
        const given = batch[index] as StoredCloseEvent;
        const route = this.routeCap.admit(given.service, given.ts, given.route);
        stored.push({ batch: b, index, event: route === given.route ? given : { ...given, route }, capped: route !== given.route });
      }
    }
    const inserted = await this.insertEvents(client, stored.map((s) => s.event));
    const results: BatchWriteResult[] = group.map(() => ({ accepted: 0, duplicates: 0, routesCapped: 0, duplicateIndexes: [] }));
    const deltas: RollupDeltas = emptyRollupDeltas();
    const seqs: number[] = [];
    const kept: Array<{ seq: number; event: StoredCloseEvent }> = [];
    for (const s of stored) {
      const id = `${s.event.keyId}\u0000${s.event.eventId}`;
      const seq = inserted.get(id);
      const result = results[s.batch] as BatchWriteResult;
      if (seq === undefined) {
        result.duplicates += 1;
        result.duplicateIndexes.push(s.index);
        continue;
      }
      // The first of two equal ids in one transaction is the one stored.
      inserted.delete(id);
      seqs.push(seq);
      kept.push({ seq, event: s.event });
      result.accepted += 1;
      if (s.capped) result.routesCapped += 1;
      addToRollups(deltas, s.event);
    }
    await matchReconnects(client, deltas, kept);
    await this.applyRollups(client, deltas, { rolledTo });
    // A batch whose events were all stored before is a retry of one committed but not
    // acknowledged: its drop report was stored with it then.
    const drops = group.flatMap((q, i) => {
      const r = results[i] as BatchWriteResult;
      return q.drop && !(r.accepted === 0 && r.duplicates > 0) ? [q.drop] : [];
    });
    if (drops.length > 0) {
      const now = Date.now();
      const [keyIds, services, instances, dropped] = columnArrays(drops, 4, (d) => [d.keyId, d.service, d.instance, d.dropped]);
      await client.query(
        `INSERT INTO drop_report (key_id, service, instance, dropped, received_at)
         SELECT k, s, i, d, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[]) AS t(k, s, i, d)`,
        [keyIds, services, instances, dropped, now],
      );
    }
    if (seqs.length > 0) await client.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, seqSpan(seqs)]);
    return { results, stored: seqs.length };
  }

  /**
   * Sums the minute rows from the watermark up to `until` (default: the last hour over,
   * see rollUpTarget) into hour and day rows, and moves the watermark there, an hour a
   * transaction (rollUpStep). Under the roll-up lock alone: ingest transactions wait for it, and it
   * waits for those under way, so none adds to an hour as it is summed. Another
   * collector's roll-up done first leaves nothing to do. Answers the watermark.
   */
  async rollUp(until: number = rollUpTarget(Date.now())): Promise<number> {
    // Whole hours only: an hour row holds all of its hour or does not exist.
    const target = floorTo(until, HOUR_MS);
    for (;;) {
      const step = await this.transaction(`BEGIN; SELECT pg_advisory_xact_lock(${ROLLUP_LOCK})`, async (client) => {
        const from = parseRolledTo((await query(client, readRolledToSql())).rows[0]?.value);
        if (!(from < target)) return { rolledTo: from, done: true };
        const step = rollUpStep(from, target, (await query(client, firstMinuteSql(from))).rows[0]?.bucket);
        const rows = minuteRowsSql(step.from, step.to);
        const deltas = deltasOfMinuteRows({
          close: (await query(client, rows.close)).rows,
          instance: (await query(client, rows.instance)).rows,
          lifetime: (await query(client, rows.lifetime)).rows,
        });
        await this.applyRollups(client, deltas, { coarserOnly: true });
        await query(client, saveRolledToSql(step.to));
        return { rolledTo: step.to, done: false };
      });
      this.rolledTo = step.rolledTo;
      if (step.done) return step.rolledTo;
    }
  }

  /**
   * Stores connections' open notices (a retried one once) and matches them to the
   * reconnect-advising closes they answer, in one transaction; answers how many were new.
   */
  async writeOpens(opens: ReadonlyArray<StoredOpen>): Promise<number> {
    return this.transaction('BEGIN', async (client) => {
      const arrays = columnArrays(opens, 8, (o) => [o.keyId, o.noticeId, o.clientKey, o.openedAt, o.service, o.instance, o.route, o.receivedAt]);
      const inserted = await client.query<{ key_id: string; notice_id: string }>({
        name: 'closewatch_opens',
        text: `INSERT INTO connection_open (key_id, notice_id, client_key, opened_at, service, instance, route, received_at)
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::text[], $7::text[], $8::int8[])
          ON CONFLICT (key_id, notice_id) DO NOTHING RETURNING key_id, notice_id`,
        values: arrays,
      });
      const isNew = new Set(inserted.rows.map((r) => `${r.key_id}\u0000${r.notice_id}`));
      // The first of two equal ids in one request is the one stored.
      const stored = opens.filter((o) => isNew.delete(`${o.keyId}\u0000${o.noticeId}`));
      const deltas = emptyRollupDeltas();
      await matchReconnects(client, deltas, [], stored);
      await this.applyRollups(client, deltas);
      return stored.length;
    });
  }

  /** Reads the stored routes of every service-hour of the group the route cap has not seen yet. */
  private async loadRoutes(client: pg.PoolClient, group: readonly Queued[]): Promise<void> {
    const wanted = new Map<string, { service: string; hour: number }>();
    for (const q of group) {
      for (const e of q.events) {
        const hour = e.ts - (e.ts % HOUR_MS);
        const key = `${hour}\u0000${e.service}`;
        if (!wanted.has(key) && !this.routeCap.knows(e.service, e.ts)) wanted.set(key, { service: e.service, hour });
      }
    }
    this.knownRoutes = new Map();
    if (wanted.size === 0) return;
    const list = [...wanted.values()];
    // An hour at or past the watermark has minute rows only.
    const rows = await client.query<{ service: string; bucket: number; route: string }>(
      `WITH w AS (SELECT * FROM unnest($1::text[], $2::int8[]) AS w(service, bucket))
       SELECT r.service, r.bucket, r.route FROM close_rollup_hour r JOIN w ON r.service = w.service AND r.bucket = w.bucket
       UNION
       SELECT r.service, w.bucket, r.route FROM close_rollup_minute r
         JOIN w ON r.service = w.service AND r.bucket >= w.bucket AND r.bucket < w.bucket + ${HOUR_MS}`,
      [arrayLiteral(list.map((w) => w.service)), arrayLiteral(list.map((w) => w.hour))],
    );
    for (const row of rows.rows) {
      const key = `${row.bucket}\u0000${row.service}`;
      const routes = this.knownRoutes.get(key);
      if (routes) routes.push(row.route);
      else this.knownRoutes.set(key, [row.route]);
    }
  }

  /**
   * Stores the events, with COPY unless one was stored before; answers the seq of each
   * stored one by `keyId \0 eventId` (duplicates are absent).
   */
  private async insertEvents(client: pg.PoolClient, events: readonly StoredCloseEvent[]): Promise<Map<string, number>> {
    if (events.length === 0) return new Map();
    // The first of two equal ids in one transaction is the one stored.
    const unique = new Map<string, StoredCloseEvent>();
    for (const e of events) {
      const id = `${e.keyId}\u0000${e.eventId}`;
      if (!unique.has(id)) unique.set(id, e);
    }
    return (await copyEvents(client, unique)) ?? this.insertSkippingDuplicates(client, events);
  }

  /** A multi-row INSERT that skips the events stored before (a unique key makes retries idempotent). */
  private async insertSkippingDuplicates(client: pg.PoolClient, events: readonly StoredCloseEvent[]): Promise<Map<string, number>> {
    const arrays = columnArrays(events, 26, (e) => [
      e.keyId, e.eventId, e.ts, e.receivedAt, e.code, e.reason, e.reasonTruncated, e.reasonTemplate, e.wasClean, e.initiator,
      e.source, e.service, e.instance, e.route, e.durationMs, e.messagesIn, e.messagesOut, e.bytesIn, e.bytesOut,
      JSON.stringify(e.labels), e.remoteAddrHash, e.clientKey, e.clientAgent, openedAtOf(e), e.previousCode, e.reconnectDelayMs,
    ]);
    const result = await client.query<{ seq: number; key_id: string; event_id: string }>({ name: 'closewatch_events', text: EVENT_INSERT, values: arrays });
    return new Map(result.rows.map((r) => [`${r.key_id}\u0000${r.event_id}`, r.seq]));
  }

  private async applyRollups(client: pg.PoolClient, deltas: RollupDeltas, options: RollupRowsOptions = {}): Promise<void> {
    const rows = rollupRows(deltas, options);
    const values: string[] = [];
    for (const { table, keys, columns } of ROLLUP_WRITES) {
      const close = rows.close.get(table);
      if (close !== undefined) {
        values.push(...columnArrays(byKey(close), CLOSE_COLUMNS.length, (r) => [
          r.bucket, r.service, r.route, r.code, r.initiator, r.reasonTemplate, r.count, r.cleanCount, r.durationSumMs, r.durationCount, r.bytesIn, r.bytesOut,
        ]));
      } else {
        values.push(...columnArrays(byKey(rows.counts.get(table) ?? new Map()), columns.length, (r) => [...keys.map((k) => r.key[k]), r.count]));
      }
    }
    await client.query({ name: 'closewatch_rollups', text: ROLLUPS_UPSERT, values });
  }
}

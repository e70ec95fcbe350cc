import type { Statement, Transaction } from 'better-sqlite3';
import { openedAtOf, type BatchWriteResult, type DropReportRow, type StoredCloseEvent, type StoredOpen } from '../types.js';
import { RouteCap } from '../route-cap.js';
import { SqliteReconnectMatcher } from './reconnect-matcher.js';
import type { SqliteDatabase } from './open-sqlite.js';
import {
  addToRollups,
  CLOSE_ROLLUPS,
  COUNT_ROLLUPS,
  emptyRollupDeltas,
  rollupRows,
  type RollupDeltas,
  type RollupRowsOptions,
} from '../rollup-deltas.js';
import { deltasOfMinuteRows, firstMinuteSql, minuteRowsSql, parseRolledTo, readRolledToSql, rollUpStep, rollUpTarget, saveRolledToSql } from '../rollup-watermark.js';
import type { Sql } from '../sql/template.js';
import { floorTo } from '../time-window.js';
import { HOUR_MS } from '../types.js';

const closeRollupSql = (table: string): string => `
  INSERT INTO ${table} (bucket, service, route, code, initiator, reason_template, count, clean_count,
                        duration_sum_ms, duration_count, bytes_in, bytes_out)
  VALUES (@bucket, @service, @route, @code, @initiator, @reasonTemplate, @count, @cleanCount,
          @durationSumMs, @durationCount, @bytesIn, @bytesOut)
  ON CONFLICT (bucket, service, route, code, initiator, reason_template) DO UPDATE SET
    count = count + excluded.count,
    clean_count = clean_count + excluded.clean_count,
    duration_sum_ms = duration_sum_ms + excluded.duration_sum_ms,
    duration_count = duration_count + excluded.duration_count,
    bytes_in = bytes_in + excluded.bytes_in,
    bytes_out = bytes_out + excluded.bytes_out`;

const countRollupSql = (table: string, keys: readonly string[]): string => `
  INSERT INTO ${table} (${keys.join(', ')}, count) VALUES (${keys.map((k) => `@${k}`).join(', ')}, @count)
  ON CONFLICT (${keys.join(', ')}) DO UPDATE SET count = count + excluded.count`;

/**
 * The ingest write path: prepared statements on better-sqlite3 (Prisma's createMany
 * is ~60x slower, see platform notes). Events and the rollups that count them are
 * written in one transaction, so rollups always equal the raw events.
 */
export class EventStore {
  private readonly insertEvent: Statement;
  private readonly upsertClose: Map<string, Statement>;
  private readonly upsertCounts: Map<string, Statement>;
  private readonly insertDropReport: Statement;
  private readonly insertOpen: Statement;
  private readonly matcher: SqliteReconnectMatcher;
  private readonly writeOpensTx: Transaction<(opens: ReadonlyArray<StoredOpen>) => number>;
  private readonly writeBatchesTx: Transaction<
    (batches: ReadonlyArray<ReadonlyArray<StoredCloseEvent>>, drops: ReadonlyArray<DropReportRow | null>, now: number) => BatchWriteResult[]
  >;

  private readonly routeCap: RouteCap;
  private readonly rollUpTx: Transaction<(from: number, target: number) => number>;
  /** The rollup watermark (rollup-watermark.ts); this thread is the only one that moves it. */
  private rolledTo: number;

  /** @param maxRoutesPerServiceHour distinct routes kept per service and hour; more are stored as `(other)` */
  constructor(
    private readonly db: SqliteDatabase,
    maxRoutesPerServiceHour = 500,
  ) {
    // An hour at or past the watermark has minute rows only.
    const hourRoutes = db.prepare<[string, number, string, number, number], { route: string }>(
      'SELECT route FROM close_rollup_hour WHERE service = ? AND bucket = ? UNION SELECT route FROM close_rollup_minute WHERE service = ? AND bucket >= ? AND bucket < ?',
    );
    this.routeCap = new RouteCap(maxRoutesPerServiceHour, (service, hour) => hourRoutes.all(service, hour, service, hour, hour + HOUR_MS).map((r) => r.route));
    const all = (statement: Sql): Array<Record<string, unknown>> => db.prepare(statement.sql).all(...statement.values) as Array<Record<string, unknown>>;
    this.rolledTo = parseRolledTo(all(readRolledToSql())[0]?.value);
    this.rollUpTx = db.transaction((from: number, target: number) => {
      const step = rollUpStep(from, target, all(firstMinuteSql(from))[0]?.bucket);
      const rows = minuteRowsSql(step.from, step.to);
      this.applyRollups(deltasOfMinuteRows({ close: all(rows.close), instance: all(rows.instance), lifetime: all(rows.lifetime) }), { coarserOnly: true });
      const save = saveRolledToSql(step.to);
      db.prepare(save.sql).run(...save.values);
      return step.to;
    });
    this.insertEvent = db.prepare(`
      INSERT INTO close_event (key_id, event_id, ts, received_at, code, reason, reason_truncated,
        reason_template, was_clean, initiator, source, service, instance, route, duration_ms,
        messages_in, messages_out, bytes_in, bytes_out, labels, remote_addr_hash, client_key, client_agent,
        opened_at, previous_code, reconnect_delay_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (key_id, event_id) DO NOTHING`);
    this.upsertClose = new Map(CLOSE_ROLLUPS.map((table) => [table, db.prepare(closeRollupSql(table))]));
    this.upsertCounts = new Map(Object.entries(COUNT_ROLLUPS).map(([table, keys]) => [table, db.prepare(countRollupSql(table, keys))]));
    this.insertDropReport = db.prepare(
      'INSERT INTO drop_report (key_id, service, instance, dropped, received_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.matcher = new SqliteReconnectMatcher(db);
    this.insertOpen = db.prepare(`INSERT INTO connection_open (key_id, notice_id, client_key, opened_at, service, instance, route, received_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_id, notice_id) DO NOTHING`);
    this.writeOpensTx = db.transaction((opens: ReadonlyArray<StoredOpen>) => {
      const deltas = emptyRollupDeltas();
      let accepted = 0;
      for (const o of opens) {
        const info = this.insertOpen.run(o.keyId, o.noticeId, o.clientKey, o.openedAt, o.service, o.instance, o.route, o.receivedAt);
        if (info.changes !== 1) continue;
        accepted += 1;
        this.matcher.opened(deltas, { clientKey: o.clientKey, service: o.service, openedAt: o.openedAt, seq: null, notice: { keyId: o.keyId, noticeId: o.noticeId } });
      }
      this.applyRollups(deltas);
      return accepted;
    });
    this.writeBatchesTx = db.transaction(
      (batches: ReadonlyArray<ReadonlyArray<StoredCloseEvent>>, drops: ReadonlyArray<DropReportRow | null>, now: number) => {
      const deltas = emptyRollupDeltas();
      const results = batches.map((batch) => this.insertBatch(batch, deltas));
      this.applyRollups(deltas, { rolledTo: this.rolledTo });
      results.forEach((result, i) => {
        const d = drops[i];
        // A batch whose events were all stored before is a retry of one that was committed
        // but not acknowledged: its drop report was stored with it then.
        if (d && !(result.accepted === 0 && result.duplicates > 0)) this.insertDropReport.run(d.keyId, d.service, d.instance, d.dropped, now);
      });
      return results;
      },
    );
  }

  /**
   * Writes several batches in one transaction (group commit). Each batch's result is
   * reported separately; an event id already stored for the same key is a duplicate.
   * `drops[i]` is the loss report that came with `batches[i]`. Throws (and writes
   * nothing) if the transaction fails.
   */
  writeBatches(
    batches: ReadonlyArray<ReadonlyArray<StoredCloseEvent>>,
    drops: ReadonlyArray<DropReportRow | null> = [],
    now: number = Date.now(),
  ): BatchWriteResult[] {
    if (rollUpTarget(now) > this.rolledTo) {
      try {
        this.rollUp(rollUpTarget(now));
      } catch {
        // Ingest goes on: the rows before the watermark stay exact, and the next write tries again.
      }
    }
    // BEGIN IMMEDIATE: a deferred transaction that reads first (known routes, duplicates)
    // and then writes gets SQLITE_BUSY at once, without waiting out busy_timeout, when
    // another connection (Prisma on the main thread, a backup, `npm run keys`) holds the
    // write lock; taking the lock first waits for it instead.
    return this.writeBatchesTx.immediate(batches, drops, now);
  }

  /**
   * Sums the minute rows from the watermark up to `until` into hour and day rows and moves
   * the watermark there, an hour a transaction (see rollup-watermark.ts). Ingest
   * calls it once an hour is over; answers the watermark.
   */
  rollUp(until: number): number {
    // Whole hours only: an hour row holds all of its hour or does not exist.
    const target = floorTo(until, HOUR_MS);
    while (this.rolledTo < target) this.rolledTo = this.rollUpTx.immediate(this.rolledTo, target);
    return this.rolledTo;
  }

  /**
   * Stores connections' open notices and matches each to the reconnect-advising closes
   * it answers, in one transaction. Answers how many were new (a retried notice is
   * stored once).
   */
  writeOpens(opens: ReadonlyArray<StoredOpen>): number {
    return this.writeOpensTx.immediate(opens);
  }

  private insertBatch(batch: ReadonlyArray<StoredCloseEvent>, deltas: RollupDeltas): BatchWriteResult {
    let accepted = 0;
    let routesCapped = 0;
    const duplicateIndexes: number[] = [];
    for (let index = 0; index < batch.length; index += 1) {
      const given = batch[index] as StoredCloseEvent;
      const route = this.routeCap.admit(given.service, given.ts, given.route);
      const e = route === given.route ? given : { ...given, route };
      const info = this.insertEvent.run(
        e.keyId,
        e.eventId,
        e.ts,
        e.receivedAt,
        e.code,
        e.reason,
        e.reasonTruncated ? 1 : 0,
        e.reasonTemplate,
        e.wasClean ? 1 : 0,
        e.initiator,
        e.source,
        e.service,
        e.instance,
        e.route,
        e.durationMs,
        e.messagesIn,
        e.messagesOut,
        e.bytesIn,
        e.bytesOut,
        JSON.stringify(e.labels),
        e.remoteAddrHash,
        e.clientKey,
        e.clientAgent,
        openedAtOf(e),
        e.previousCode,
        e.reconnectDelayMs,
      );
      if (info.changes === 1) {
        accepted += 1;
        if (e !== given) routesCapped += 1;
        addToRollups(deltas, e);
        this.matcher.stored(deltas, e, Number(info.lastInsertRowid));
      } else {
        duplicateIndexes.push(index);
      }
    }
    return { accepted, duplicates: batch.length - accepted, routesCapped, duplicateIndexes };
  }

  private applyRollups(deltas: RollupDeltas, options: RollupRowsOptions = {}): void {
    const rows = rollupRows(deltas, options);
    for (const [table, closeRows] of rows.close) {
      const stmt = this.upsertClose.get(table) as Statement;
      for (const row of closeRows.values()) stmt.run(row);
    }
    for (const [table, countRows] of rows.counts) {
      const stmt = this.upsertCounts.get(table) as Statement;
      for (const row of countRows.values()) stmt.run({ ...row.key, count: row.count });
    }
  }
}

import type { CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { ParsedQuery } from '../query/filters.js';
import { queryBreakdown } from '../query/breakdown.js';
import { queryReasons } from '../query/reasons.js';
import { queryReconnects } from '../query/reconnects.js';
import { OTHER_KEY, type GroupBy } from '../query/schemas.js';
import { querySummary } from '../query/summary.js';
import { queryTimeseries } from '../query/timeseries.js';
import type { EventReader } from '../storage/sql/event-reader.js';
import type { ReconnectReader } from '../storage/sql/reconnect-reader.js';
import type { StatsReader } from '../storage/sql/stats-reader.js';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { csvLines, csvText, UTF8_BOM, type Cell } from './csv.js';
import { EVENT_HEADER, EVENTS_CSV_MAPPER } from './event-csv-rows.js';
import { reconnectsCsv } from './reconnects-csv.js';

export const EXPORT_KINDS = ['events', 'timeseries', 'summary', 'reasons', 'breakdown', 'reconnects'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** Waits until the stream takes more, or is gone (a client that left never drains it). */
async function drainedOrClosed(out: Writable): Promise<void> {
  const ac = new AbortController();
  const settled = (p: Promise<unknown>): Promise<unknown> => p.catch(() => undefined);
  await Promise.race([settled(once(out, 'drain', { signal: ac.signal })), settled(once(out, 'close', { signal: ac.signal }))]);
  ac.abort();
}

/**
 * Streams every event matching the view, in store order (arrival: oldest first), as CSV
 * into `out`: the read workers read and format the next ranges while this one is
 * written, text is written only as the socket drains, and a client that goes away ends
 * the loop and its reads. Memory stays that of a few reads, whatever the export's size.
 */
export async function pumpEventsCsv(
  events: EventReader,
  query: ParsedQuery,
  out: Writable,
  bom: boolean,
  onPage: (rows: number) => void = () => {},
  readsAhead = 2,
): Promise<void> {
  out.write((bom ? UTF8_BOM : '') + csvLines([[...EVENT_HEADER]]));
  const range = await events.seqRange(query.window, query.filters);
  if (range !== null) {
    // Reads of consecutive seq ranges, `readsAhead` in flight (one per read worker), taken in order.
    const pending: Array<Promise<{ text: string; rows: number }>> = [];
    let after = range.first - 1;
    const fill = (): void => {
      while (pending.length < readsAhead && after < range.last) {
        const until = Math.min(range.last, after + events.storeOrderSpan);
        pending.push(events.mappedInStoreOrder(query.window, query.filters, after, until, EVENTS_CSV_MAPPER));
        after = until;
      }
    };
    fill();
    while (pending.length > 0 && !out.destroyed) {
      const page = await (pending.shift() as Promise<{ text: string; rows: number }>);
      fill();
      onPage(page.rows);
      if (page.rows > 0 && !out.write(page.text)) await drainedOrClosed(out);
    }
    // A client that left: the reads still in flight end on their own, their text dropped.
    for (const p of pending) p.catch(() => undefined);
  }
  out.end();
}

export interface AggregateOptions {
  groupBy: GroupBy;
  bucketMs: number | undefined;
  top: number;
  limit: number;
  /** The team's own code names (default none). */
  names?: CustomCloseCodes;
}

/**
 * The aggregates the dashboard charts, from the same functions as the API, so the
 * numbers are the same: one CSV per kind.
 */
export async function aggregateCsv(
  readers: { stats: StatsReader; reconnects: ReconnectReader },
  kind: Exclude<ExportKind, 'events'>,
  query: ParsedQuery,
  options: AggregateOptions,
  bom: boolean,
): Promise<string> {
  const { stats } = readers;
  const iso = (ms: number): string => new Date(ms).toISOString();
  switch (kind) {
    case 'reconnects':
      return reconnectsCsv(await queryReconnects(readers.reconnects, stats, query), bom);
    case 'timeseries': {
      const { body } = await queryTimeseries(stats, query, {
        groupBy: options.groupBy,
        top: options.top,
        ...(options.names === undefined ? {} : { names: options.names }),
        ...(options.bucketMs === undefined ? {} : { bucketMs: options.bucketMs }),
      });
      const rows: Cell[][] = [];
      for (const point of body.points) for (const s of body.series) rows.push([iso(point.t), body.bucketMs, s.key, s.label, point.values[s.key] ?? 0]);
      return csvText(['bucket_start', 'bucket_ms', `${body.groupBy}`, 'label', 'count'], rows, bom);
    }
    case 'summary': {
      const { body } = await querySummary(stats, query, options.top, options.names);
      const rows: Cell[][] = body.byCode.map((c) => [c.code, c.name, c.shortName, c.category, c.count, c.share]);
      if (body.otherCodes.codes > 0) rows.push([null, `${OTHER_KEY}: ${body.otherCodes.codes} more codes`, '', '', body.otherCodes.count, body.total === 0 ? 0 : body.otherCodes.count / body.total]);
      rows.push([null, 'total', '', '', body.total, 1]);
      return csvText(['code', 'name', 'short_name', 'category', 'count', 'share'], rows, bom);
    }
    case 'reasons': {
      const { body } = await queryReasons(stats, query, options.limit, options.top, options.names);
      const rows: Cell[][] = [];
      for (const c of body.codes) {
        for (const r of c.reasons) rows.push([c.code, c.name, c.shortName, r.template, r.count, r.examples.join(' | ')]);
        if (c.otherTemplates.templates > 0) rows.push([c.code, c.name, c.shortName, `${OTHER_KEY}: ${c.otherTemplates.templates} more templates`, c.otherTemplates.count, '']);
      }
      if (body.otherCodes.codes > 0) rows.push([null, `${OTHER_KEY}: ${body.otherCodes.codes} more codes`, '', '', body.otherCodes.count, '']);
      return csvText(['code', 'name', 'short_name', 'template', 'count', 'examples'], rows, bom);
    }
    case 'breakdown': {
      const { body } = await queryBreakdown(stats, query, options.top);
      const rows: Cell[][] = [
        ...body.services.map((s) => ['service', s.service, '', s.total, s.abnormal, s.error, s.again]),
        ...body.routes.map((r) => ['route', r.service, r.route, r.total, r.abnormal, r.error, r.again]),
        ...body.instances.map((i) => ['instance', i.service, i.instance, i.total, i.abnormal, null, null]),
      ];
      for (const [group, other] of Object.entries(body.other)) {
        if (other.groups > 0) rows.push([group.slice(0, -1), OTHER_KEY, `${other.groups} more`, other.total, other.abnormal, other.error, other.again]);
      }
      return csvText(['group', 'service', 'route_or_instance', 'total', 'abnormal', 'error', 'again'], rows, bom);
    }
  }
}

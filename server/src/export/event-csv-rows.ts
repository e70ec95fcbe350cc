/**
 * The row mapper of the events export: raw `close_event` rows to CSV records. It runs in
 * the read workers (registered as `events-csv`), so the rows never cross threads; see
 * EventReader.mappedInStoreOrder.
 */
import { describeCloseCode } from '@closewatch/sdk/close-codes';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CUSTOM_CODE_COLUMN, EVENT_COLUMN } from '../storage/types.js';
import { csvLines, type Cell } from './csv.js';

export const EVENTS_CSV_MAPPER = 'events-csv';

/** Where the read workers load this module from: .ts under tsx, .js when built. */
export const EVENTS_CSV_MAPPER_URL = new URL(`./event-csv-rows${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;

export const EVENT_HEADER = [
  'timestamp',
  'service',
  'instance',
  'route',
  'code',
  'code_name',
  'short_name',
  'category',
  'reason',
  'reason_template',
  'was_clean',
  'initiator',
  'source',
  'duration_ms',
  'messages_in',
  'messages_out',
  'bytes_in',
  'bytes_out',
  'labels',
  'client_key',
  'client_agent',
  'previous_code',
  'reconnect_delay_ms',
  'id',
] as const;

/** The code fields of a row, from the registry, remembered per code (an export repeats few codes). */
const codeInfo = new Map<number | null, readonly [string, string, string]>();
function describe(code: number | null): readonly [string, string, string] {
  let info = codeInfo.get(code);
  if (info === undefined) {
    const d = describeCloseCode(code);
    info = [d.name, d.shortName, d.category];
    if (codeInfo.size < 70_000) codeInfo.set(code, info);
  }
  return info;
}

const C = EVENT_COLUMN;
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** One raw stored row as the CSV row of EVENT_HEADER (labels: the stored JSON text, as written at ingest). */
function eventCells(r: readonly unknown[]): Cell[] {
  const code = n(r[C.code]);
  const [registryName, shortName, registryCategory] = describe(code);
  // The team's own name (read with the row, so it is the one stored when the export ran).
  const customName = r[CUSTOM_CODE_COLUMN.name];
  const custom = typeof customName === 'string';
  const name = custom ? customName : registryName;
  const category = custom ? String(r[CUSTOM_CODE_COLUMN.category]) : registryCategory;
  return [
    new Date(Number(r[C.ts])).toISOString(),
    String(r[C.service]),
    String(r[C.instance]),
    String(r[C.route]),
    code,
    name,
    custom ? 'Other' : shortName,
    category,
    String(r[C.reason]),
    String(r[C.reason_template]),
    Number(r[C.was_clean]) === 1,
    String(r[C.initiator]),
    String(r[C.source]),
    n(r[C.duration_ms]),
    n(r[C.messages_in]),
    n(r[C.messages_out]),
    n(r[C.bytes_in]),
    n(r[C.bytes_out]),
    String(r[C.labels]),
    text(r[C.client_key]),
    text(r[C.client_agent]),
    n(r[C.previous_code]),
    n(r[C.reconnect_delay_ms]),
    String(r[C.event_id]),
  ];
}

/** The mapper: raw rows to CSV records (CRLF-terminated). */
export function mapRows(rows: unknown[][]): string {
  return csvLines(rows.map(eventCells));
}

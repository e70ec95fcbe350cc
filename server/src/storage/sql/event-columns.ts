import { CUSTOM_CODE_COLUMN, EVENT_COLUMN, EVENT_COLUMN_NAMES, type Initiator, type EventSource, type StoredEventRow } from '../types.js';
import { toBool, toCode, toNullableNumber, toNumber, toText, type Row } from './row.js';
import { raw } from './template.js';


/**
 * Two columns after EVENT_COLUMNS in an export's rows: the team's own name and category
 * of the code (codes 3000-4999 only), or nulls. Read in the same statement, so a
 * worker thread mapping rows to CSV needs nothing else.
 */
export const CUSTOM_CODE_COLUMNS = raw(
  ['name', 'category']
    .map((c) => `CASE WHEN close_event.code BETWEEN 3000 AND 4999 THEN (SELECT n.${c} FROM close_code_name n WHERE n.code = close_event.code) END AS custom_${c}`)
    .join(', '),
);

/** The columns `toStoredEvent` reads (the explorer, the live tail and the export share them). */
export const EVENT_COLUMNS = raw(EVENT_COLUMN_NAMES.join(', '));

function parseLabels(value: unknown): Record<string, string> {
  // SQLite hands back the JSON text, PostgreSQL's jsonb an object.
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      // Written by the ingest path as JSON; a broken value must not break a listing.
      return {};
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') labels[k] = v;
  return labels;
}

const nullableText = (value: unknown): string | null => (value === null || value === undefined ? null : toText(value));

const INITIATORS: readonly Initiator[] = ['server', 'client', 'unknown'];

/** One `close_event` row (EVENT_COLUMNS) as the stored event it is. */
export function toStoredEvent(row: Row): StoredEventRow {
  const initiator = toText(row.initiator);
  return {
    seq: toNumber(row.seq),
    keyId: toText(row.key_id),
    eventId: toText(row.event_id),
    ts: toNumber(row.ts),
    receivedAt: toNumber(row.received_at),
    code: toCode(row.code),
    reason: toText(row.reason),
    reasonTruncated: toBool(row.reason_truncated),
    reasonTemplate: toText(row.reason_template),
    wasClean: toBool(row.was_clean),
    initiator: INITIATORS.find((i) => i === initiator) ?? 'unknown',
    source: (toText(row.source) === 'browser' ? 'browser' : 'server') satisfies EventSource,
    service: toText(row.service),
    instance: toText(row.instance),
    route: toText(row.route),
    durationMs: toNullableNumber(row.duration_ms),
    messagesIn: toNullableNumber(row.messages_in),
    messagesOut: toNullableNumber(row.messages_out),
    bytesIn: toNullableNumber(row.bytes_in),
    bytesOut: toNullableNumber(row.bytes_out),
    labels: parseLabels(row.labels),
    remoteAddrHash: nullableText(row.remote_addr_hash),
    clientKey: nullableText(row.client_key),
    clientAgent: nullableText(row.client_agent),
    previousCode: toCode(row.previous_code),
    reconnectDelayMs: toNullableNumber(row.reconnect_delay_ms),
  };
}

import { codeFields } from './code-info.js';
import type { CloseEventView } from './schemas.js';
import { Prisma, toBool, toCode, toNullableNumber, toNumber, toText, type Row } from './sql.js';

/** The columns `toEventView` reads (the event list and the live feed share them). */
export const EVENT_COLUMNS = Prisma.sql`seq, event_id, ts, received_at, code, reason, reason_truncated, reason_template,
  was_clean, initiator, source, service, instance, route, duration_ms, messages_in, messages_out, bytes_in, bytes_out, labels`;

function parseLabels(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') labels[k] = v;
    return labels;
  } catch {
    // Written by the ingest path as JSON; a broken value must not break the listing.
    return {};
  }
}

/** One stored event in the API's shape, with the registry fields of its code. */
export function toEventView(row: Row): CloseEventView {
  const code = toCode(row.code);
  return {
    seq: toNumber(row.seq),
    id: toText(row.event_id),
    ts: toNumber(row.ts),
    receivedAt: toNumber(row.received_at),
    ...codeFields(code),
    reason: toText(row.reason),
    reasonTruncated: toBool(row.reason_truncated),
    reasonTemplate: toText(row.reason_template),
    wasClean: toBool(row.was_clean),
    initiator: toText(row.initiator),
    source: toText(row.source),
    service: toText(row.service),
    instance: toText(row.instance),
    route: toText(row.route),
    durationMs: toNullableNumber(row.duration_ms),
    messagesIn: toNullableNumber(row.messages_in),
    messagesOut: toNullableNumber(row.messages_out),
    bytesIn: toNullableNumber(row.bytes_in),
    bytesOut: toNullableNumber(row.bytes_out),
    labels: parseLabels(toText(row.labels)),
  };
}

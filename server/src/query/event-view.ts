import type { CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { StoredEventRow } from '../storage/types.js';
import { codeFields } from './code-info.js';
import type { CloseEventView } from './schemas.js';

/** One stored event in the API's shape, with the registry fields of its code (the ingest key and the address hash stay inside). */
export function toEventView(e: StoredEventRow, names?: CustomCloseCodes): CloseEventView {
  return {
    seq: e.seq,
    id: e.eventId,
    ts: e.ts,
    receivedAt: e.receivedAt,
    ...codeFields(e.code, names),
    reason: e.reason,
    reasonTruncated: e.reasonTruncated,
    reasonTemplate: e.reasonTemplate,
    wasClean: e.wasClean,
    initiator: e.initiator,
    source: e.source,
    service: e.service,
    instance: e.instance,
    route: e.route,
    durationMs: e.durationMs,
    messagesIn: e.messagesIn,
    messagesOut: e.messagesOut,
    bytesIn: e.bytesIn,
    bytesOut: e.bytesOut,
    labels: { ...e.labels },
    clientKey: e.clientKey,
    clientAgent: e.clientAgent,
    previousCode: e.previousCode,
    reconnectDelayMs: e.reconnectDelayMs,
  };
}

import type { CloseCategory, CustomCloseCodes } from '@closewatch/sdk/close-codes';

/** Who ended the connection, as the SDK saw it. */
export type Initiator = 'server' | 'client' | 'unknown';

/** Which kind of SDK reported the close (taken from the ingest key, not the body). */
export type EventSource = 'server' | 'browser';

/** A close event after validation and normalization: exactly what is stored. */
export interface StoredCloseEvent {
  keyId: string;
  eventId: string;
  /** Epoch milliseconds when the connection closed. */
  ts: number;
  /** Epoch milliseconds when the collector received it. */
  receivedAt: number;
  /** `null` when no close code was received. */
  code: number | null;
  reason: string;
  reasonTruncated: boolean;
  reasonTemplate: string;
  wasClean: boolean;
  initiator: Initiator;
  source: EventSource;
  service: string;
  instance: string;
  route: string;
  durationMs: number | null;
  messagesIn: number | null;
  messagesOut: number | null;
  bytesIn: number | null;
  bytesOut: number | null;
  labels: Readonly<Record<string, string>>;
  remoteAddrHash: string | null;
  /** The same client across connections (the SDK's clientKey). */
  clientKey: string | null;
  /** User-agent family and major version. */
  clientAgent: string | null;
  /** On a reconnect the browser SDK saw: the previous socket's close code... */
  previousCode: number | null;
  /** ...and how long after that close this socket opened; null when this socket is no reported reconnect. */
  reconnectDelayMs: number | null;
}

/** When the connection opened (close time minus lifetime); null without a lifetime. */
export function openedAtOf(e: Pick<StoredCloseEvent, 'ts' | 'durationMs'>): number | null {
  return e.durationMs === null ? null : e.ts - e.durationMs;
}

/** A connection's opening, reported by the server SDK before the connection closes. */
export interface StoredOpen {
  keyId: string;
  /** The SDK's id of the notice: a retry carries the same one and is stored once. */
  noticeId: string;
  clientKey: string;
  /** Epoch milliseconds when the connection opened. */
  openedAt: number;
  service: string;
  instance: string;
  route: string;
  receivedAt: number;
}

/** A stored event with its position in the store (newer events have higher `seq`). */
export interface StoredEventRow extends StoredCloseEvent {
  seq: number;
}

/** What happened to one batch. */
export interface BatchWriteResult {
  accepted: number;
  duplicates: number;
  /** Accepted events whose route was stored as `(other)`: their service had its hour's share of routes. */
  routesCapped: number;
  /** Positions in the batch of the events that were duplicates (usually none). */
  duplicateIndexes: number[];
}

/** A loss report an SDK sent with its batch. */
export interface DropReportRow {
  keyId: string;
  service: string;
  instance: string;
  dropped: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** Rollups store "no code" as -1: unique keys treat NULLs as distinct. */
export const NO_CODE_SENTINEL = -1;

/** A half-open range `[from, to)` of epoch milliseconds. */
export interface TimeWindow {
  from: number;
  to: number;
}

export interface LabelFilter {
  key: string;
  value: string;
}

/** Parsed filters; an absent field matches everything. `null` in `codes` is "no code". */
export interface CloseFilters {
  service?: string;
  instance?: string;
  route?: string;
  codes?: ReadonlyArray<number | null>;
  category?: CloseCategory;
  initiator?: Initiator;
  label?: LabelFilter;
  /**
   * The team's own code names: a named code belongs to the category the team gave it,
   * for the category filter and the per-category series alike (default: none).
   */
  customCodes?: CustomCloseCodes;
}

/** Which storage answered a read; sent as the `x-closewatch-path` header. */
export type ReadPath = 'rollups' | 'events';

/** Rows of a read and which storage answered it. */
export interface Read<T> {
  rows: T[];
  path: ReadPath;
}

/** Close code 1011 Internal Error: the `error` figure. */
export const ERROR_CODE = 1011;
/** Close code 1013 Try Again Later: the `again` figure. */
export const AGAIN_CODE = 1013;
/** The key column of rows that stand for "every group beyond the top ones" in code-keyed reads. */
export const OTHER_CODE = -2;
/** How long after a close the client's next connection is looked for. */
export const RECONNECT_LOOKAHEAD_MS = 10 * 60_000;

/**
 * Whether rollups can answer: they are keyed by service, route, code, initiator and
 * reason template, so instance and label filters need the raw events.
 */
export function needsRawEvents(filters: CloseFilters): boolean {
  return filters.instance !== undefined || filters.label !== undefined;
}

/** The columns of a raw event row, in the order every engine returns them. */
export const EVENT_COLUMN_NAMES = [
  'seq', 'key_id', 'event_id', 'ts', 'received_at', 'code', 'reason', 'reason_truncated', 'reason_template',
  'was_clean', 'initiator', 'source', 'service', 'instance', 'route', 'duration_ms', 'messages_in', 'messages_out',
  'bytes_in', 'bytes_out', 'labels', 'remote_addr_hash', 'client_key', 'client_agent', 'previous_code', 'reconnect_delay_ms',
] as const;
/** Positions of the columns in a raw event row (arrays in EVENT_COLUMN_NAMES order), for readers that skip objects. */
export const EVENT_COLUMN = Object.fromEntries(EVENT_COLUMN_NAMES.map((name, i) => [name, i])) as { readonly [K in (typeof EVENT_COLUMN_NAMES)[number]]: number };
/** Positions of the two columns after them in an export's rows: the team's own name and category of the code. */
export const CUSTOM_CODE_COLUMN = { name: EVENT_COLUMN_NAMES.length, category: EVENT_COLUMN_NAMES.length + 1 } as const;

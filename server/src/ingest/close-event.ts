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
}

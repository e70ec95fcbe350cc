/**
 * The event the SDKs send, one per closed connection, as the collector's ingest API
 * defines it (docs/api.md, `CloseEventInput`).
 */

/** Who started the close: the side that sent the first close frame, or tore it down. */
export type Initiator = 'server' | 'client' | 'unknown';

/** One closed connection, as sent to `POST /api/v1/events`. */
export interface ClosewatchEvent {
  /** Unique id; the collector's idempotency key, so retries never double count. */
  id: string;
  /** Epoch milliseconds of the close. */
  ts: number;
  /** Close code as observed (1005: frame without code, 1006: no close frame). */
  code: number | null;
  reason: string;
  wasClean: boolean;
  initiator: Initiator;
  service: string;
  instance: string;
  route: string;
  durationMs: number;
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  labels: Record<string, string>;
  remoteAddrHash?: string;
  /** The same client across connections and instances (1-128 characters, no control characters). */
  clientKey?: string;
  /** The client's user-agent family and major version (`Chrome 131`, `okhttp 4`), at most 64 characters. */
  clientAgent?: string;
  /**
   * Browser SDK, on a socket that is a reconnect: the close code of the previous socket
   * to the same route (null when it had none). Set together with `reconnectDelayMs`.
   */
  previousCode?: number | null;
  /** Browser SDK: milliseconds from that previous close to this socket's open (integer, >= 0). */
  reconnectDelayMs?: number;
}

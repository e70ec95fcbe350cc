/**
 * Response shapes of the collector's read API, exactly as docs/api.md defines them.
 * Times are epoch milliseconds; a `code` of `null` means no close code was received.
 */
import type { CloseCategory } from '@closewatch/sdk/close-codes';

export type Initiator = 'server' | 'client' | 'unknown';

export interface TimeWindow {
  from: number;
  to: number;
}

/** Every code in a response carries its registry identity. */
export interface CodeIdentity {
  code: number | null;
  name: string;
  shortName: string;
  category: CloseCategory;
}

export interface CountShare {
  count: number;
  share: number;
}

export interface CountRateShare extends CountShare {
  perMinute: number;
}

export interface SummaryPeriod {
  window: TimeWindow;
  total: number;
  perMinute: number;
  abnormal: CountShare;
  error: CountRateShare;
  again: CountRateShare;
}

export interface SummaryResponse extends SummaryPeriod {
  byCode: Array<CodeIdentity & CountShare>;
  byCategory: Array<{ category: CloseCategory; label: string; count: number }>;
  previous: SummaryPeriod;
}

export type TimeseriesGroupBy = 'category' | 'code' | 'service';

export interface TimeseriesResponse {
  window: TimeWindow;
  bucketMs: number;
  groupBy: TimeseriesGroupBy;
  series: Array<{ key: string; label: string; total: number }>;
  points: Array<{ t: number; values: Record<string, number> }>;
}

export interface ReasonGroup {
  template: string;
  count: number;
  examples: string[];
}

export interface ReasonsResponse {
  window: TimeWindow;
  codes: Array<CodeIdentity & { count: number; reasons: ReasonGroup[] }>;
}

export interface BreakdownResponse {
  window: TimeWindow;
  services: Array<{ service: string; total: number; abnormal: number; error: number; again: number }>;
  instances: Array<{ service: string; instance: string; total: number; abnormal: number }>;
  routes: Array<{ service: string; route: string; total: number; abnormal: number; error: number; again: number }>;
}

export interface LifetimeBucket {
  index: number;
  fromMs: number;
  /** `null` for the last, open-ended bucket. */
  toMs: number | null;
  label: string;
}

export interface LifetimesResponse {
  window: TimeWindow;
  buckets: LifetimeBucket[];
  byCode: Array<CodeIdentity & { total: number; counts: number[] }>;
}

export interface CloseEventRecord extends CodeIdentity {
  seq: number;
  id: string;
  ts: number;
  receivedAt: number;
  reason: string;
  reasonTruncated: boolean;
  reasonTemplate: string;
  wasClean: boolean;
  initiator: Initiator;
  source: 'server' | 'browser';
  service: string;
  instance: string;
  route: string;
  durationMs: number | null;
  messagesIn: number | null;
  messagesOut: number | null;
  bytesIn: number | null;
  bytesOut: number | null;
  labels: Record<string, string>;
}

export interface EventsResponse {
  events: CloseEventRecord[];
  nextCursor: string | null;
}

export interface LiveHello {
  type: 'hello';
  serverTime: number;
  tickMs: number;
}

export interface LiveTick {
  type: 'tick';
  from: number;
  to: number;
  total: number;
  byCode: Array<CodeIdentity & { count: number }>;
  byService: Array<{ service: string; count: number }>;
  events: CloseEventRecord[];
  skippedTicks: number;
}

export type LiveMessage = LiveHello | LiveTick;

export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** `GET/POST /api/v1/session`: whether this browser is signed in to the dashboard. */
export interface SessionState {
  signedIn: boolean;
  /** `none` when the collector runs with CLOSEWATCH_AUTH=none: nobody signs in. */
  auth: 'password' | 'none';
  /** When the session ends (epoch ms), or null. */
  expiresAt: number | null;
}

/** `GET /api/v1/status`: declared once, by the collector's TypeBox schema. */
export type { Status as StatusResponse } from '@closewatch/server/api-types';

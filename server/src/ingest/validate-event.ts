import { TypeCompiler } from '@sinclair/typebox/compiler';
import { reasonTemplate } from '@closewatch/sdk/reason-template';
import type { EventSource, StoredCloseEvent } from '../storage/types.js';
import { CLIENT_KEY_RULE, COUNTER_LIMITS, EVENT_LIMITS, findLabelProblem } from '@closewatch/sdk/event-limits';
import { CloseEventInputSchema, type CloseEventInput } from './event-schema.js';

const checker = TypeCompiler.Compile(CloseEventInputSchema);

/** Why one event of a batch was not stored. */
export interface EventRejection {
  field: string;
  message: string;
}

function counterRule(max: number, unit = ''): string {
  return `must be an integer from 0 to ${max}${unit}, or null`;
}

const FIELD_RULES: Readonly<Record<string, string>> = {
  id: `must be a string of 1-${EVENT_LIMITS.idLength} characters (a unique id made by the client)`,
  ts: 'must be an RFC 3339 timestamp (2026-11-26T10:00:00Z) or epoch milliseconds',
  code: 'must be an integer from 0 to 65535, or null when no code was received',
  reason: 'must be a string',
  wasClean: 'must be true or false',
  initiator: 'must be "server", "client" or "unknown"',
  service: `must be a non-empty string of at most ${EVENT_LIMITS.serviceLength} characters`,
  instance: `must be a non-empty string of at most ${EVENT_LIMITS.instanceLength} characters`,
  route: `must be a string of at most ${EVENT_LIMITS.routeLength} characters`,
  durationMs: counterRule(COUNTER_LIMITS.durationMs, ' (milliseconds, 400 days)'),
  messagesIn: counterRule(COUNTER_LIMITS.messagesIn),
  messagesOut: counterRule(COUNTER_LIMITS.messagesOut),
  bytesIn: counterRule(COUNTER_LIMITS.bytesIn),
  bytesOut: counterRule(COUNTER_LIMITS.bytesOut),
  remoteAddrHash: `must be a string of at most ${EVENT_LIMITS.remoteAddrHashLength} characters or null`,
  clientKey: `must be ${CLIENT_KEY_RULE}, or null`,
  clientAgent: `must be a string of 1-${EVENT_LIMITS.clientAgentLength} characters without control characters, or null`,
  previousCode: 'must be an integer from 0 to 65535, or null (the previous socket closed without a code)',
  reconnectDelayMs: counterRule(COUNTER_LIMITS.durationMs, ' (milliseconds from the previous close to this open)'),
};

function describeSchemaError(event: unknown): EventRejection {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { field: 'event', message: 'must be a JSON object with id, ts, code, wasClean, initiator, service, instance and route' };
  }
  const first = checker.Errors(event).First();
  const segments = (first?.path ?? '').split('/').filter(Boolean);
  const field = segments[0] ?? 'event';
  const record = event as Record<string, unknown>;
  if (segments.length === 1 && record[field] === undefined) return { field, message: `${field} is required` };
  if (field === 'labels') {
    return findLabelProblem(record.labels) ?? { field, message: `labels: ${first?.message ?? 'is invalid'}` };
  }
  const rule = FIELD_RULES[field];
  return rule ? { field, message: `${field} ${rule}` } : { field, message: `${field}: ${first?.message ?? 'is invalid'}` };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

const DAY_MS = 86_400_000;

function parseTimestamp(ts: number | string, now: number, retentionDays: number): number | EventRejection {
  let ms: number;
  if (typeof ts === 'number') {
    if (ts > 0 && ts < 100_000_000_000) {
      return { field: 'ts', message: `ts ${ts} looks like epoch seconds; send epoch milliseconds (${ts * 1000}) or RFC 3339` };
    }
    ms = ts;
  } else {
    ms = RFC3339.test(ts) ? Date.parse(ts) : Number.NaN;
    if (!Number.isFinite(ms)) return { field: 'ts', message: `ts "${ts.slice(0, 40)}" ${FIELD_RULES.ts}` };
  }
  if (ms < EVENT_LIMITS.minTs) return { field: 'ts', message: 'ts is before the year 2000; send epoch milliseconds or RFC 3339' };
  if (ms > now + EVENT_LIMITS.maxTsAheadMs) {
    return { field: 'ts', message: `ts is more than ${EVENT_LIMITS.maxTsAheadMs / 3_600_000} h in the future; check the sending host's clock` };
  }
  if (ms < now - retentionDays * DAY_MS) {
    const age = ((now - ms) / DAY_MS).toFixed(1);
    return {
      field: 'ts',
      message:
        `ts is ${age} days old, older than the ${retentionDays}-day retention (RETENTION_DAYS), so it would be deleted at once and was not stored; ` +
        "check the sending host's clock, or raise RETENTION_DAYS to keep older events",
    };
  }
  return Math.trunc(ms);
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let cut = maxBytes;
  // 0b10xxxxxx bytes continue a character; step back to the start of the cut one.
  while (cut > 0 && ((bytes[cut] as number) & 0xc0) === 0x80) cut -= 1;
  return bytes.subarray(0, cut).toString('utf8');
}

const templateCache = new Map<string, string>();

function templateOf(reason: string): string {
  let template = templateCache.get(reason);
  if (template === undefined) {
    template = reasonTemplate(reason);
    if (templateCache.size >= 50_000) templateCache.clear();
    templateCache.set(reason, template);
  }
  return template;
}

export interface EventContext {
  keyId: string;
  source: EventSource;
  receivedAt: number;
  /** Events older than this many days before `receivedAt` are refused (they would be pruned at once). */
  retentionDays: number;
}

/**
 * Text as both engines store it: lone surrogates (not UTF-8) and NUL (PostgreSQL's text
 * cannot hold it) become U+FFFD. A close reason read off the wire may carry anything,
 * and an id must be the same string the database gives back.
 */
function withoutNul(text: string): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replaceAll('\u0000', '\uFFFD') : wellFormed;
}

function labelsWithoutNul(labels: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (Object.entries(labels).every(([k, v]) => withoutNul(k) === k && withoutNul(v) === v)) return labels;
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [withoutNul(k), withoutNul(v)]));
}

const optional = (text: string | null | undefined): string | null => (text === undefined || text === null ? null : withoutNul(text));

/** Validates one event of a batch and turns it into the stored form, or says what is wrong. */
export function validateEvent(event: unknown, ctx: EventContext): StoredCloseEvent | EventRejection {
  if (!checker.Check(event)) return describeSchemaError(event);
  const e: CloseEventInput = event;
  if (e.labels !== undefined) {
    const problem = findLabelProblem(e.labels);
    if (problem !== undefined) return problem;
  }
  const ts = parseTimestamp(e.ts, ctx.receivedAt, ctx.retentionDays);
  if (typeof ts !== 'number') return ts;
  let reason = withoutNul(e.reason ?? '');
  const reasonBytes = Buffer.byteLength(reason, 'utf8');
  if (reasonBytes > EVENT_LIMITS.maxReasonBytes) {
    return {
      field: 'reason',
      message: `reason is ${reasonBytes} bytes; at most ${EVENT_LIMITS.maxReasonBytes} are accepted (a close frame carries ${EVENT_LIMITS.wireReasonBytes})`,
    };
  }
  const reasonTruncated = reasonBytes > EVENT_LIMITS.wireReasonBytes;
  if (reasonTruncated) reason = truncateUtf8(reason, EVENT_LIMITS.wireReasonBytes);
  return {
    keyId: ctx.keyId,
    eventId: withoutNul(e.id),
    ts,
    receivedAt: ctx.receivedAt,
    code: e.code,
    reason,
    reasonTruncated,
    reasonTemplate: templateOf(reason),
    wasClean: e.wasClean,
    initiator: e.initiator,
    source: ctx.source,
    service: withoutNul(e.service),
    instance: withoutNul(e.instance),
    route: withoutNul(e.route),
    durationMs: e.durationMs ?? null,
    messagesIn: e.messagesIn ?? null,
    messagesOut: e.messagesOut ?? null,
    bytesIn: e.bytesIn ?? null,
    bytesOut: e.bytesOut ?? null,
    labels: labelsWithoutNul(e.labels ?? {}),
    remoteAddrHash: optional(e.remoteAddrHash),
    clientKey: optional(e.clientKey),
    clientAgent: optional(e.clientAgent),
    // A delay without a previous close says nothing; the code alone is kept only with its delay.
    previousCode: e.reconnectDelayMs === undefined || e.reconnectDelayMs === null ? null : (e.previousCode ?? null),
    reconnectDelayMs: e.reconnectDelayMs ?? null,
  };
}

/** Whether a validation result is a rejection. */
export function isRejection<T extends object>(result: T | EventRejection): result is EventRejection {
  return 'message' in result;
}

/**
 * `@closewatch/sdk/event-limits`: every limit of one close event, the single source of
 * truth for the collector's validation, the SDKs' option checks and the docs.
 */

/** Limits of one event and of a batch's `meta` (docs/api.md states the same numbers). */
export const EVENT_LIMITS = {
  /** `ts`: not before 2000-01-01T00:00:00Z (epoch ms); earlier is a clock that was never set. */
  minTs: 946_684_800_000,
  /** `ts`: at most this far (ms) ahead of the collector's clock. */
  maxTsAheadMs: 86_400_000,
  /** `id`: 1 to this many characters. */
  idLength: 128,
  /** `service`: 1 to this many characters. */
  serviceLength: 128,
  /** `instance`: 1 to this many characters. */
  instanceLength: 128,
  /** `route`: at most this many characters. */
  routeLength: 512,
  /** Close frames carry at most 123 bytes of reason (UTF-8). */
  wireReasonBytes: 123,
  /** Longer reasons are accepted up to this many bytes and stored truncated to the wire limit. */
  maxReasonBytes: 1024,
  /** Labels per event. */
  maxLabels: 16,
  /** Label key: 1 to this many characters of `LABEL_KEY_CHARACTERS`. */
  labelKeyLength: 64,
  /** Label value: a string of at most this many characters. */
  labelValueLength: 256,
  /** `remoteAddrHash`: at most this many characters. */
  remoteAddrHashLength: 128,
  /** `clientKey`: 1 to this many characters, no control characters. */
  clientKeyLength: 128,
  /** `clientAgent`: 1 to this many characters (a user-agent family, `Chrome 131`). */
  clientAgentLength: 64,
  /** `durationMs`: 400 days; no WebSocket stays open longer, so more is a broken clock or counter. */
  maxDurationMs: 400 * 86_400_000,
  /** `messagesIn`, `messagesOut`: a million messages a second for 11 days. */
  maxMessages: 1e12,
  /** `bytesIn`, `bytesOut`: 1 PB, still exact in a double (below 2^53). */
  maxBytes: 1e15,
  /** `meta.dropped`: events one SDK dropped since its last delivered batch. */
  maxDropped: 1e9,
  /** `meta.sdk`: at most this many characters. */
  sdkNameLength: 128,
} as const;

/** The characters a label key may have, as people read them (messages, docs). */
export const LABEL_KEY_CHARACTERS = 'A-Z a-z 0-9 _ . : -';

/** What a label key must be, for messages. */
export const LABEL_KEY_RULE = `1-${EVENT_LIMITS.labelKeyLength} characters of ${LABEL_KEY_CHARACTERS}, not __proto__`;
/** What a label value must be, for messages. */
export const LABEL_VALUE_RULE = `a string of at most ${EVENT_LIMITS.labelValueLength} characters`;

/** The counters of an event and their maxima (all non-negative integers). */
export const COUNTER_LIMITS = {
  durationMs: EVENT_LIMITS.maxDurationMs,
  messagesIn: EVENT_LIMITS.maxMessages,
  messagesOut: EVENT_LIMITS.maxMessages,
  bytesIn: EVENT_LIMITS.maxBytes,
  bytesOut: EVENT_LIMITS.maxBytes,
} as const;

function isKeyChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 58) || // 0-9 and ':'
    c === 95 || // _
    c === 46 || // .
    c === 45 // -
  );
}

/**
 * Whether `key` is a valid label key. `__proto__` is refused although its characters
 * are fine: assigning it to a plain object changes the object's prototype instead of
 * adding a label, so it could not round-trip through the SDK, the collector or a client.
 */
export function isValidLabelKey(key: string): boolean {
  const length = key.length;
  if (length === 0 || length > EVENT_LIMITS.labelKeyLength || key === '__proto__') return false;
  // A loop over char codes: this runs for every label of every event on both sides.
  for (let i = 0; i < length; i++) if (!isKeyChar(key.charCodeAt(i))) return false;
  return true;
}

/** Whether `value` is a valid label value. */
export function isValidLabelValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= EVENT_LIMITS.labelValueLength;
}

/** A label key as it may be quoted in a message or a field name: never the whole of a huge one. */
export function showLabelKey(key: string): string {
  return key.length > EVENT_LIMITS.labelKeyLength ? `${key.slice(0, EVENT_LIMITS.labelKeyLength)}...` : key;
}

/** What a `clientKey` must be, for messages. */
export const CLIENT_KEY_RULE = `a string of 1-${EVENT_LIMITS.clientKeyLength} characters without control characters`;

/**
 * Whether `value` is a valid `clientKey`. Control characters (C0, DEL, C1) are refused:
 * keys end up in tables, CSV files and notifications, where they would break lines.
 */
export function isValidClientKey(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const length = value.length;
  if (length === 0 || length > EVENT_LIMITS.clientKeyLength) return false;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < 32 || (c >= 127 && c <= 159)) return false;
  }
  return true;
}

/** One thing wrong with a label map: `field` is `labels` or `labels.<key>`. */
export interface LabelProblem {
  field: string;
  message: string;
}

/**
 * The first problem of a label map as the collector accepts it, or undefined when it
 * is valid: a plain object of at most `maxLabels` entries, valid keys, valid values.
 */
export function findLabelProblem(labels: unknown): LabelProblem | undefined {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    return { field: 'labels', message: `labels must be an object of at most ${EVENT_LIMITS.maxLabels} string labels` };
  }
  const keys = Object.keys(labels);
  if (keys.length > EVENT_LIMITS.maxLabels) {
    return { field: 'labels', message: `labels has ${keys.length} keys; at most ${EVENT_LIMITS.maxLabels} are allowed` };
  }
  for (const key of keys) {
    if (!isValidLabelKey(key)) {
      return { field: `labels.${showLabelKey(key)}`, message: `label key ${JSON.stringify(showLabelKey(key))} is not allowed; keys are ${LABEL_KEY_RULE}` };
    }
    const value: unknown = (labels as Record<string, unknown>)[key];
    if (!isValidLabelValue(value)) {
      const got = typeof value === 'string' ? `${value.length} characters` : value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      return { field: `labels.${key}`, message: `label ${key} must be ${LABEL_VALUE_RULE}, got ${got}` };
    }
  }
  return undefined;
}

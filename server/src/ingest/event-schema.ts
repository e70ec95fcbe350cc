import { Type, type Static } from '@sinclair/typebox';
import { COUNTER_LIMITS, EVENT_LIMITS } from '@closewatch/sdk/event-limits';

/** A counter: a non-negative integer up to its limit, or null (not measured). */
function counter(maximum: number) {
  return Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum }), Type.Null()]));
}

/** An identifier-like text: 1 to `maxLength` characters, none of them a control character (C0, DEL, C1; as `isValidClientKey`). */
function optionalText(maxLength: number) {
  return Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength, pattern: '^[^\\u0000-\\u001f\\u007f-\\u009f]+$' }), Type.Null()]));
}

/**
 * One close event as an SDK sends it. Unknown fields are ignored, for newer SDKs. Label
 * keys are checked by `findLabelProblem` after this schema: a record's key schema does
 * not bind in JSON Schema, so it cannot say what a key may be.
 */
export const CloseEventInputSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: EVENT_LIMITS.idLength }),
  ts: Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 64 })]),
  code: Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()]),
  reason: Type.Optional(Type.String()),
  wasClean: Type.Boolean(),
  initiator: Type.Union([Type.Literal('server'), Type.Literal('client'), Type.Literal('unknown')]),
  service: Type.String({ minLength: 1, maxLength: EVENT_LIMITS.serviceLength }),
  instance: Type.String({ minLength: 1, maxLength: EVENT_LIMITS.instanceLength }),
  route: Type.String({ maxLength: EVENT_LIMITS.routeLength }),
  durationMs: counter(COUNTER_LIMITS.durationMs),
  messagesIn: counter(COUNTER_LIMITS.messagesIn),
  messagesOut: counter(COUNTER_LIMITS.messagesOut),
  bytesIn: counter(COUNTER_LIMITS.bytesIn),
  bytesOut: counter(COUNTER_LIMITS.bytesOut),
  labels: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: EVENT_LIMITS.labelValueLength }))),
  remoteAddrHash: Type.Optional(Type.Union([Type.String({ maxLength: EVENT_LIMITS.remoteAddrHashLength }), Type.Null()])),
  clientKey: optionalText(EVENT_LIMITS.clientKeyLength),
  clientAgent: optionalText(EVENT_LIMITS.clientAgentLength),
  previousCode: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()])),
  reconnectDelayMs: counter(COUNTER_LIMITS.durationMs),
});

export type CloseEventInput = Static<typeof CloseEventInputSchema>;

/** What an SDK says of itself with each batch: its name, and what it had to drop. */
export const IngestMetaSchema = Type.Optional(
  Type.Object({
    sdk: Type.Optional(Type.String({ maxLength: EVENT_LIMITS.sdkNameLength })),
    dropped: Type.Optional(Type.Integer({ minimum: 0, maximum: EVENT_LIMITS.maxDropped })),
  }),
);

/**
 * The envelope, validated by fastify. Events are checked one by one afterwards so
 * that one bad event rejects itself, not its whole batch.
 */
export const IngestBodySchema = Type.Object(
  {
    events: Type.Array(Type.Unknown()),
    meta: IngestMetaSchema,
  },
  { additionalProperties: true },
);

export type IngestBody = Static<typeof IngestBodySchema>;

export const RejectedEventSchema = Type.Object({
  index: Type.Integer({ description: 'position of the event in the batch' }),
  field: Type.String({ description: 'the field that is wrong, or "event"' }),
  message: Type.String(),
});

export const IngestReportSchema = Type.Object({
  accepted: Type.Integer({ description: 'events stored by this request' }),
  duplicates: Type.Integer({ description: 'events whose id was already stored (retries)' }),
  rejected: Type.Array(RejectedEventSchema),
});

export type IngestReport = Static<typeof IngestReportSchema>;

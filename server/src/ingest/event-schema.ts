import { Type, type Static } from '@sinclair/typebox';

/** Limits of one event; the README and docs/api.md state the same numbers. */
export const EVENT_LIMITS = {
  idLength: 128,
  nameLength: 128,
  routeLength: 512,
  /** Close frames carry at most 123 bytes of reason. */
  wireReasonBytes: 123,
  /** Longer reasons are accepted up to this and stored truncated to the wire limit. */
  maxReasonBytes: 1024,
  maxLabels: 16,
  labelKeyLength: 64,
  labelValueLength: 256,
  remoteAddrHashLength: 128,
} as const;

const Count = Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), Type.Null()]));

/** One close event as an SDK sends it. Unknown fields are ignored, for newer SDKs. */
export const CloseEventInputSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: EVENT_LIMITS.idLength }),
  ts: Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 64 })]),
  code: Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()]),
  reason: Type.Optional(Type.String()),
  wasClean: Type.Boolean(),
  initiator: Type.Union([Type.Literal('server'), Type.Literal('client'), Type.Literal('unknown')]),
  service: Type.String({ minLength: 1, maxLength: EVENT_LIMITS.nameLength }),
  instance: Type.String({ minLength: 1, maxLength: EVENT_LIMITS.nameLength }),
  route: Type.String({ maxLength: EVENT_LIMITS.routeLength }),
  durationMs: Count,
  messagesIn: Count,
  messagesOut: Count,
  bytesIn: Count,
  bytesOut: Count,
  labels: Type.Optional(
    Type.Record(Type.String({ minLength: 1, maxLength: EVENT_LIMITS.labelKeyLength }), Type.String({ maxLength: EVENT_LIMITS.labelValueLength }), {
      maxProperties: EVENT_LIMITS.maxLabels,
    }),
  ),
  remoteAddrHash: Type.Optional(Type.Union([Type.String({ maxLength: EVENT_LIMITS.remoteAddrHashLength }), Type.Null()])),
});

export type CloseEventInput = Static<typeof CloseEventInputSchema>;

/**
 * The envelope, validated by fastify. Events are checked one by one afterwards so
 * that one bad event rejects itself, not its whole batch.
 */
export const IngestBodySchema = Type.Object(
  {
    events: Type.Array(Type.Unknown()),
    meta: Type.Optional(
      Type.Object({
        sdk: Type.Optional(Type.String({ maxLength: 128 })),
        dropped: Type.Optional(Type.Integer({ minimum: 0 })),
      }),
    ),
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

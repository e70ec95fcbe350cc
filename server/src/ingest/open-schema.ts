import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CLIENT_KEY_RULE, EVENT_LIMITS, isValidClientKey } from '@closewatch/sdk/event-limits';
import type { StoredOpen } from '../storage/types.js';
import { IngestMetaSchema } from './event-schema.js';
import type { EventRejection } from './validate-event.js';

/**
 * One open notice as the server SDK sends it when a connection with a client key opens.
 * Unknown fields are ignored, for newer SDKs.
 */
export const OpenNoticeInputSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: EVENT_LIMITS.idLength }),
  clientKey: Type.String({ minLength: 1, maxLength: EVENT_LIMITS.clientKeyLength }),
  openedAt: Type.Integer(),
  service: Type.String({ minLength: 1, maxLength: EVENT_LIMITS.serviceLength }),
  instance: Type.String({ minLength: 1, maxLength: EVENT_LIMITS.instanceLength }),
  route: Type.String({ maxLength: EVENT_LIMITS.routeLength }),
});

type OpenNoticeInput = Static<typeof OpenNoticeInputSchema>;

/** The envelope, validated by fastify; notices are checked one by one afterwards, as events are. */
export const OpensBodySchema = Type.Object(
  {
    opens: Type.Array(Type.Unknown()),
    meta: IngestMetaSchema,
  },
  { additionalProperties: true },
);

const checker = TypeCompiler.Compile(OpenNoticeInputSchema);

const FIELD_RULES: Readonly<Record<string, string>> = {
  id: `must be a string of 1-${EVENT_LIMITS.idLength} characters (a unique id made by the SDK)`,
  clientKey: `must be ${CLIENT_KEY_RULE}`,
  openedAt: 'must be epoch milliseconds (an integer)',
  service: `must be a non-empty string of at most ${EVENT_LIMITS.serviceLength} characters`,
  instance: `must be a non-empty string of at most ${EVENT_LIMITS.instanceLength} characters`,
  route: `must be a string of at most ${EVENT_LIMITS.routeLength} characters`,
};

const DAY_MS = 86_400_000;

export interface OpenContext {
  keyId: string;
  receivedAt: number;
  retentionDays: number;
}

function describeSchemaError(notice: unknown): EventRejection {
  if (typeof notice !== 'object' || notice === null || Array.isArray(notice)) {
    return { field: 'open', message: 'must be a JSON object with id, clientKey, openedAt, service, instance and route' };
  }
  const first = checker.Errors(notice).First();
  const field = (first?.path ?? '').split('/').filter(Boolean)[0] ?? 'open';
  if ((notice as Record<string, unknown>)[field] === undefined) return { field, message: `${field} is required` };
  const rule = FIELD_RULES[field];
  return { field, message: rule ? `${field} ${rule}` : `${field}: ${first?.message ?? 'is invalid'}` };
}

/** PostgreSQL's text cannot hold NUL; a notice's strings are stored as the close events' are. */
function clean(text: string): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replaceAll('\u0000', '\uFFFD') : wellFormed;
}

/** Validates one notice and turns it into the stored form, or says what is wrong. */
export function validateOpen(notice: unknown, ctx: OpenContext): StoredOpen | EventRejection {
  if (!checker.Check(notice)) return describeSchemaError(notice);
  const n: OpenNoticeInput = notice;
  if (!isValidClientKey(n.clientKey)) return { field: 'clientKey', message: `clientKey ${FIELD_RULES.clientKey}` };
  if (n.openedAt < EVENT_LIMITS.minTs) return { field: 'openedAt', message: 'openedAt is before the year 2000; send epoch milliseconds' };
  if (n.openedAt > ctx.receivedAt + EVENT_LIMITS.maxTsAheadMs) {
    return { field: 'openedAt', message: `openedAt is more than ${EVENT_LIMITS.maxTsAheadMs / 3_600_000} h in the future; check the sending host's clock` };
  }
  if (n.openedAt < ctx.receivedAt - ctx.retentionDays * DAY_MS) {
    return { field: 'openedAt', message: `openedAt is older than the ${ctx.retentionDays}-day retention (RETENTION_DAYS), so it was not stored` };
  }
  return {
    keyId: ctx.keyId,
    noticeId: clean(n.id),
    clientKey: clean(n.clientKey),
    openedAt: n.openedAt,
    service: clean(n.service),
    instance: clean(n.instance),
    route: clean(n.route),
    receivedAt: ctx.receivedAt,
  };
}

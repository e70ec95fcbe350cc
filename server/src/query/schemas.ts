import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CLOSE_CATEGORIES, type CloseCategory } from '@closewatch/sdk/close-codes';
import type { CodeFields } from './code-info.js';

// Response shapes of docs/api.md. fastify serializes every response through these, so
// a field missing here never reaches the dashboard.

const Count = Type.Integer({ minimum: 0 });
const Share = Type.Number({ minimum: 0, maximum: 1 });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const CategorySchema = Type.Unsafe<CloseCategory>({ type: 'string', enum: [...CLOSE_CATEGORIES] });

export const WindowSchema = Type.Object({ from: Type.Integer(), to: Type.Integer() });

const CodeFields = {
  code: Nullable(Type.Integer({ minimum: 0, maximum: 65535 })),
  name: Type.String(),
  shortName: Type.String(),
  category: CategorySchema,
};

const Figure = Type.Object({ count: Count, perMinute: Type.Number(), share: Share });

const PeriodFields = {
  window: WindowSchema,
  total: Count,
  perMinute: Type.Number(),
  abnormal: Type.Object({ count: Count, share: Share }),
  error: Figure,
  again: Figure,
};

/** Key of the series or group that sums everything beyond the top ones. */
export const OTHER_KEY = '(other)';

/** Groups beyond the top ones: how many, and their closes. */
const OtherCodesSchema = Type.Object({
  codes: Count,
  count: Count,
}, { description: 'codes beyond the top ones (the `top` parameter), summed' });

export const SummarySchema = Type.Object({
  ...PeriodFields,
  byCode: Type.Array(Type.Object({ ...CodeFields, count: Count, share: Share })),
  otherCodes: OtherCodesSchema,
  byCategory: Type.Array(Type.Object({ category: CategorySchema, label: Type.String(), count: Count })),
  previous: Type.Object(PeriodFields),
});
export type Summary = Static<typeof SummarySchema>;
export type PeriodFigures = Static<typeof SummarySchema.properties.previous>;

export const GROUP_BYS = ['category', 'code', 'service'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export const TimeseriesSchema = Type.Object({
  window: WindowSchema,
  bucketMs: Type.Integer(),
  groupBy: Type.Unsafe<GroupBy>({ type: 'string', enum: [...GROUP_BYS] }),
  series: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Type.String(),
      total: Count,
      other: Type.Optional(Type.Literal(true, { description: `set on the ${OTHER_KEY} series, which sums the groups beyond the top ones` })),
    }),
  ),
  /** Groups beyond the top ones (summed in the `(other)` series). */
  otherGroups: Count,
  points: Type.Array(Type.Object({ t: Type.Integer(), values: Type.Record(Type.String(), Count) })),
});
export type Timeseries = Static<typeof TimeseriesSchema>;

export const ReasonsSchema = Type.Object({
  window: WindowSchema,
  codes: Type.Array(
    Type.Object({
      ...CodeFields,
      count: Count,
      reasons: Type.Array(Type.Object({ template: Type.String(), count: Count, examples: Type.Array(Type.String()) })),
      otherTemplates: Type.Object({ templates: Count, count: Count }, { description: 'templates of this code beyond `limit`, summed' }),
    }),
  ),
  otherCodes: OtherCodesSchema,
});
export type Reasons = Static<typeof ReasonsSchema>;

const SeverityFields = { total: Count, abnormal: Count, error: Count, again: Count };

const OtherGroupsSchema = Type.Object({ groups: Count, ...SeverityFields }, { description: 'groups beyond the top ones, summed' });

export const BreakdownSchema = Type.Object({
  window: WindowSchema,
  services: Type.Array(Type.Object({ service: Type.String(), ...SeverityFields })),
  instances: Type.Array(Type.Object({ service: Type.String(), instance: Type.String(), total: Count, abnormal: Count })),
  routes: Type.Array(Type.Object({ service: Type.String(), route: Type.String(), ...SeverityFields })),
  other: Type.Object({ services: OtherGroupsSchema, instances: OtherGroupsSchema, routes: OtherGroupsSchema }),
});
export type Breakdown = Static<typeof BreakdownSchema>;

export const LifetimesSchema = Type.Object({
  window: WindowSchema,
  buckets: Type.Array(
    Type.Object({ index: Type.Integer(), fromMs: Type.Integer(), toMs: Nullable(Type.Integer()), label: Type.String() }),
  ),
  byCode: Type.Array(Type.Object({ ...CodeFields, total: Count, counts: Type.Array(Count) })),
  other: Type.Union([Type.Object({ codes: Count, total: Count, counts: Type.Array(Count) }), Type.Null()], {
    description: 'codes beyond the top ones, summed; null when there are none',
  }),
});
export type Lifetimes = Static<typeof LifetimesSchema>;

const OptionalCount = Nullable(Count);

export const EventSchema = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  ts: Type.Integer(),
  receivedAt: Type.Integer(),
  ...CodeFields,
  reason: Type.String(),
  reasonTruncated: Type.Boolean(),
  reasonTemplate: Type.String(),
  wasClean: Type.Boolean(),
  initiator: Type.String(),
  source: Type.String(),
  service: Type.String(),
  instance: Type.String(),
  route: Type.String(),
  durationMs: OptionalCount,
  messagesIn: OptionalCount,
  messagesOut: OptionalCount,
  bytesIn: OptionalCount,
  bytesOut: OptionalCount,
  labels: Type.Record(Type.String(), Type.String()),
  clientKey: Nullable(Type.String()),
  clientAgent: Nullable(Type.String()),
  previousCode: Nullable(Type.Integer()),
  reconnectDelayMs: OptionalCount,
});
export type CloseEventView = Static<typeof EventSchema>;

export const EventsPageSchema = Type.Object({
  events: Type.Array(EventSchema),
  nextCursor: Nullable(Type.String()),
});
export type EventsPage = Static<typeof EventsPageSchema>;

/** Messages of the live feed (not validated on send; the types keep them in step with the docs). */
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
  byCode: Array<CodeFields & { count: number }>;
  byService: Array<{ service: string; count: number }>;
  events: CloseEventView[];
  skippedTicks: number;
}

const Delay = Nullable(Type.Integer({ minimum: 0 }));

export const ReconnectsSchema = Type.Object({
  window: WindowSchema,
  lookaheadMs: Type.Integer({ description: 'a client not back within this long after the close counts as not returned' }),
  advisedDelayMs: Type.Object({ from: Type.Integer(), to: Type.Integer() }),
  closes: Count,
  reconnected: Count,
  notReturned: Count,
  compliantShare: Nullable(Share),
  tooFast: Count,
  medianDelayMs: Delay,
  p90DelayMs: Delay,
  byCode: Type.Array(Type.Object({ ...CodeFields, closes: Count, reconnected: Count, notReturned: Count, compliantShare: Nullable(Share) })),
  delayHistogram: Type.Array(Type.Object({ fromMs: Type.Integer(), toMs: Nullable(Type.Integer()), label: Type.String(), count: Count })),
  storm: Nullable(
    Type.Object({
      at: Type.Integer({ description: 'start of the second with the most reconnect-advising closes in the window (the last rolling restart)' }),
      closes: Count,
      baselinePerSecond: Type.Number({ description: 'connections opened per second over the window, outside the storm' }),
      peakPerSecond: Count,
      peakAt: Nullable(Type.Integer()),
      score: Nullable(Type.Number({ description: 'peakPerSecond / baselinePerSecond' })),
      series: Type.Array(Type.Object({ t: Type.Integer(), closes: Count, reconnects: Count })),
    }),
  ),
  offenders: Type.Array(
    Type.Object({
      kind: Type.Unsafe<'agent' | 'keyPrefix'>({ type: 'string', enum: ['agent', 'keyPrefix'] }),
      value: Type.String(),
      reconnected: Count,
      tooFast: Count,
      tooFastShare: Share,
      medianDelayMs: Delay,
      spreadMs: Delay,
      fixedDelay: Type.Boolean({ description: 'at least 5 reconnects whose delays sit within 200 ms (1 s above 5 s) of one another: a fixed delay, not a randomized one' }),
    }),
  ),
});
export type Reconnects = Static<typeof ReconnectsSchema>;

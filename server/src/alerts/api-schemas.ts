import { Type, type Static } from '@sinclair/typebox';
import { RuleInputSchema, RuleSchema } from './rule.js';

// The alerting API's request and response schemas, apart from the functions that fill
// them (views.ts) and the routes: the dashboard reads these types through api-types.ts,
// and this module must not pull the storage layer into its type graph.

const Nullable = <T extends ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);

export const GroupSchema = Type.Object({ service: Type.Optional(Type.String()), route: Type.Optional(Type.String()) });

export const TopReasonSchema = Type.Object({ code: Type.Union([Type.Integer(), Type.Null()]), codeName: Type.String(), template: Type.String(), count: Type.Integer() });
export const TopRouteSchema = Type.Object({ service: Type.String(), route: Type.String(), count: Type.Integer() });

export const EpisodeSchema = Type.Object({
  id: Type.String(),
  ruleId: Type.String(),
  ruleName: Type.String(),
  severity: Type.String(),
  group: GroupSchema,
  pendingSince: Type.Integer(),
  startedAt: Type.Integer(),
  endedAt: Type.Union([Type.Integer(), Type.Null()]),
  peak: Type.Number(),
  baseline: Nullable(Type.Number()),
  /** The computation at the moment it fired (count, median, z ... depending on the condition). */
  detail: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
  topReasons: Type.Array(TopReasonSchema),
  topRoutes: Type.Array(TopRouteSchema),
  /** The rule as it was when it fired. */
  rule: Type.Union([RuleSchema, Type.Null()]),
  notified: Type.Boolean(),
});
export type EpisodeView = Static<typeof EpisodeSchema>;

export const ActiveAlertSchema = Type.Object({
  ruleId: Type.String(),
  ruleName: Type.String(),
  severity: Type.String(),
  group: GroupSchema,
  state: Type.Union([Type.Literal('pending'), Type.Literal('firing')]),
  pendingSince: Type.Integer(),
  episode: Type.Union([EpisodeSchema, Type.Null()]),
  silenced: Type.Boolean(),
});
export type ActiveAlert = Static<typeof ActiveAlertSchema>;

export const SilenceMatcherSchema = Type.Object(
  {
    ruleId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    label: Type.Optional(Type.Object({ key: Type.String({ minLength: 1, maxLength: 64 }), value: Type.String({ maxLength: 256 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type SilenceMatcher = Static<typeof SilenceMatcherSchema>;

export const SilenceSchema = Type.Object({
  id: Type.String(),
  matcher: SilenceMatcherSchema,
  startsAt: Type.Integer(),
  endsAt: Type.Integer(),
  comment: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.Integer(),
  active: Type.Boolean(),
});
export type SilenceView = Static<typeof SilenceSchema>;

export const AttemptSchema = Type.Object({
  deliveryId: Type.String(),
  event: Type.String(),
  at: Type.Integer(),
  status: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer(),
});

export const TargetSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('webhook'), Type.Literal('slack'), Type.Literal('alertmanager')]),
  /** The URL with its path hidden: webhook URLs are secrets (Slack's are credentials). */
  urlHint: Type.String(),
  enabled: Type.Boolean(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  lastAttempt: Type.Union([AttemptSchema, Type.Null()]),
});
export type TargetView = Static<typeof TargetSchema>;

export type DeliveryAttemptView = Static<typeof AttemptSchema>;

export const TARGET_KINDS = ['webhook', 'slack', 'alertmanager'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** A time in a body: epoch ms or RFC 3339. */
export const TimeParamSchema = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1, maxLength: 64 })], { description: 'epoch ms or RFC 3339' });

export const TargetInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    kind: Type.Unsafe<TargetKind>({ type: 'string', enum: [...TARGET_KINDS] }),
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'webhook/Slack: the URL to POST to; alertmanager: its base URL (http://host:9093)' }),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TargetInput = Static<typeof TargetInputSchema>;

export const TargetTestResultSchema = Type.Object({ ok: Type.Boolean(), status: Type.Union([Type.Integer(), Type.Null()]), error: Type.Union([Type.String(), Type.Null()]), durationMs: Type.Integer() });
export type TargetTestResult = Static<typeof TargetTestResultSchema>;

export const SilenceInputSchema = Type.Object(
  {
    matcher: SilenceMatcherSchema,
    endsAt: TimeParamSchema,
    comment: Type.String({ minLength: 1, maxLength: 500 }),
    createdBy: Type.String({ minLength: 1, maxLength: 120, description: 'who asked for it (one admin account may be shared)' }),
  },
  { additionalProperties: false },
);
export type SilenceInput = Static<typeof SilenceInputSchema>;

export const BacktestRequestSchema = Type.Object({ rule: Type.Union([RuleInputSchema, RuleSchema]), from: TimeParamSchema, to: TimeParamSchema });
export type BacktestRequest = Static<typeof BacktestRequestSchema>;

export const BacktestResultSchema = Type.Object({
  episodes: Type.Array(Type.Object({ start: Type.Integer(), end: Type.Union([Type.Integer(), Type.Null()]), group: Type.Object({ service: Type.Optional(Type.String()), route: Type.Optional(Type.String()) }), peak: Type.Number(), baseline: Type.Number() })),
  minutesEvaluated: Type.Integer(),
});
export type BacktestResult = Static<typeof BacktestResultSchema>;

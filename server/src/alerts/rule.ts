import { Type, type Static } from '@sinclair/typebox';
import { CLOSE_CATEGORIES, RECONNECT_ADVISING_CODES, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { CloseFilters } from '../storage/types.js';

const MINUTE = 60_000;

/** Which closes a rule watches: codes or a category, narrowed by service, route, instance or a label. */
export const SelectorSchema = Type.Object(
  {
    codes: Type.Optional(
      Type.Array(Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()]), { minItems: 1, maxItems: 50, description: 'null is "no code"' }),
    ),
    category: Type.Optional(Type.Union(CLOSE_CATEGORIES.map((c) => Type.Literal(c)))),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    route: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    instance: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    label: Type.Optional(Type.Object({ key: Type.String({ minLength: 1, maxLength: 64 }), value: Type.String({ maxLength: 256 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type Selector = Static<typeof SelectorSchema>;

const WindowMinutes = Type.Integer({ minimum: 1, maximum: 60, description: 'minutes the condition looks back over' });

/** When the watched closes are a problem. */
export const ConditionSchema = Type.Union([
  Type.Object(
    {
      type: Type.Literal('threshold'),
      /** `count` over the window, or `rate`: closes per minute over it. */
      measure: Type.Union([Type.Literal('count'), Type.Literal('rate')]),
      windowMinutes: WindowMinutes,
      above: Type.Number({ minimum: 0 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('ratio'),
      /** The share of all closes of the same service/route/label selection, 0-1. */
      above: Type.Number({ minimum: 0, maximum: 1 }),
      windowMinutes: WindowMinutes,
      /** Fewer watched closes than this in the window never fire. */
      minCount: Type.Integer({ minimum: 1 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('anomaly'),
      /** Robust z-score (median and MAD of the last 60 one-minute buckets) at which it fires. */
      zScore: Type.Number({ minimum: 1, maximum: 100 }),
      /** Fewer watched closes than this in the minute never fire (near-zero baselines). */
      minCount: Type.Integer({ minimum: 1 }),
      /** A smaller share of the minute's closes never fires. */
      minRatio: Type.Number({ minimum: 0, maximum: 1 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('reconnect-storm'),
      /** Fires when the peak of reconnects per second in the window is above this many times the normal connection rate. */
      above: Type.Number({ minimum: 1, maximum: 100_000 }),
      windowMinutes: WindowMinutes,
      /** A peak below this many reconnects per second never fires (a quiet service's few clients). */
      minPerSecond: Type.Integer({ minimum: 1 }),
    },
    { additionalProperties: false },
  ),
]);
export type Condition = Static<typeof ConditionSchema>;

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const GROUP_BYS = ['service', 'route', 'none'] as const;
export type AlertGroupBy = (typeof GROUP_BYS)[number];

/** A rule as the API takes it to create or replace one (defaults filled in by `withRuleDefaults`). */
export const RuleInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    enabled: Type.Optional(Type.Boolean({ description: 'default true' })),
    selector: SelectorSchema,
    condition: ConditionSchema,
    forMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 * 60 * MINUTE, description: 'how long the condition holds before firing; default 3 min' })),
    keepFiringForMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 * 60 * MINUTE, description: 'how long it keeps firing after recovering; default 5 min' })),
    severity: Type.Optional(Type.Unsafe<Severity>({ type: 'string', enum: [...SEVERITIES] })),
    groupBy: Type.Optional(Type.Unsafe<AlertGroupBy>({ type: 'string', enum: [...GROUP_BYS], description: 'one alert instance per service (default), per route, or one in all' })),
    repeatIntervalMs: Type.Optional(Type.Union([Type.Integer({ minimum: MINUTE, maximum: 7 * 24 * 60 * MINUTE }), Type.Null()])),
    targetIds: Type.Optional(Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type RuleInput = Static<typeof RuleInputSchema>;

/** A rule as stored and as the API returns it. */
export const RuleSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  selector: SelectorSchema,
  condition: ConditionSchema,
  forMs: Type.Integer(),
  keepFiringForMs: Type.Integer(),
  severity: Type.Unsafe<Severity>({ type: 'string', enum: [...SEVERITIES] }),
  groupBy: Type.Unsafe<AlertGroupBy>({ type: 'string', enum: [...GROUP_BYS] }),
  repeatIntervalMs: Type.Union([Type.Integer(), Type.Null()]),
  targetIds: Type.Union([Type.Array(Type.String()), Type.Null()]),
  /** `error-spike` / `again-spike` for the rules made at the first start, else null. */
  builtin: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export type AlertRule = Static<typeof RuleSchema>;

export const DEFAULT_FOR_MS = 3 * MINUTE;
export const DEFAULT_KEEP_FIRING_FOR_MS = 5 * MINUTE;

/** The rule fields an evaluation needs, with every default applied. */
export type RuleSpec = Omit<AlertRule, 'id' | 'builtin' | 'createdAt' | 'updatedAt'>;

export function withRuleDefaults(input: RuleInput): RuleSpec {
  return {
    name: input.name,
    enabled: input.enabled ?? true,
    selector: input.selector,
    condition: input.condition,
    forMs: input.forMs ?? DEFAULT_FOR_MS,
    keepFiringForMs: input.keepFiringForMs ?? DEFAULT_KEEP_FIRING_FOR_MS,
    severity: input.severity ?? 'warning',
    groupBy: input.groupBy ?? 'service',
    repeatIntervalMs: input.repeatIntervalMs ?? null,
    targetIds: input.targetIds ?? null,
  };
}

/**
 * What a schema cannot say: a selector watches codes or a category (not both, not
 * neither), and a group-by must not be fixed by the selector already.
 * @returns the problem as `field: message`, or null
 */
export function ruleProblem(spec: RuleSpec): string | null {
  const { selector } = spec;
  if ((selector.codes === undefined) === (selector.category === undefined)) {
    return 'selector: give either codes (for example [1011]) or a category (for example "server-error")';
  }
  if (spec.groupBy === 'route' && selector.route !== undefined) return 'groupBy: the selector already fixes the route; group by service or none';
  if (spec.condition.type === 'reconnect-storm') {
    const advising: ReadonlyArray<number | null> = RECONNECT_ADVISING_CODES;
    if (selector.codes === undefined || selector.codes.some((c) => !advising.includes(c))) {
      return `selector.codes: a reconnect storm follows the closes that advise a reconnect: give some of ${RECONNECT_ADVISING_CODES.join(', ')}`;
    }
    if (spec.groupBy === 'route') return 'groupBy: a reconnect storm is watched per service or for everything, not per route';
  }
  return null;
}

/** The two rules every collector starts with (made once; they may be edited or disabled). */
export const BUILTIN_RULES: ReadonlyArray<{ builtin: string; input: RuleInput }> = [
  {
    builtin: 'error-spike',
    input: {
      name: 'Error spike',
      selector: { codes: [1011] },
      condition: { type: 'anomaly', zScore: 3.5, minCount: 5, minRatio: 0.02 },
      severity: 'critical',
    },
  },
  {
    builtin: 'again-spike',
    input: {
      name: 'Again spike',
      selector: { codes: [1013] },
      condition: { type: 'anomaly', zScore: 3.5, minCount: 5, minRatio: 0.02 },
      severity: 'warning',
    },
  },
];

/** The selector's filters on the watched closes; a category includes the codes the team put in it (`names`). */
export function selectedFilters(selector: Selector, names?: CustomCloseCodes): CloseFilters {
  const filters: CloseFilters = contextFilters(selector);
  if (selector.codes !== undefined) filters.codes = selector.codes;
  if (selector.category !== undefined) {
    filters.category = selector.category;
    if (names !== undefined && names.size > 0) filters.customCodes = names;
  }
  return filters;
}

/** The selector without its codes: the closes a ratio divides by. */
export function contextFilters(selector: Selector): CloseFilters {
  const filters: CloseFilters = {};
  if (selector.service !== undefined) filters.service = selector.service;
  if (selector.route !== undefined) filters.route = selector.route;
  if (selector.instance !== undefined) filters.instance = selector.instance;
  if (selector.label !== undefined) filters.label = selector.label;
  return filters;
}

import { Type, type Static } from '@sinclair/typebox';
import type { AttemptRow, EpisodeRow, SilenceRow, TargetRow } from '../storage/alerts/alert-store.js';
import { parseGroupKey } from './group.js';
import { RuleSchema } from './rule.js';

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

/** `https://hooks.slack.com/…`: enough to recognise a target, not enough to use it. */
export function urlHint(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname === '/' || u.pathname === '' ? u.origin : `${u.origin}/…`;
  } catch {
    return '(invalid URL)';
  }
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function episodeView(e: EpisodeRow): EpisodeView {
  const rule = parseJson<EpisodeView['rule'] | null>(e.ruleSnapshot, null);
  const detail = parseJson<Record<string, number | null>>(e.baseline, {});
  return {
    id: e.id,
    ruleId: e.ruleId,
    ruleName: rule?.name ?? '(deleted rule)',
    severity: rule?.severity ?? 'warning',
    group: parseGroupKey(e.groupKey),
    pendingSince: e.pendingSince,
    startedAt: e.startedAt,
    endedAt: e.endedAt,
    peak: e.peakValue,
    baseline: typeof detail.baseline === 'number' ? detail.baseline : null,
    detail,
    topReasons: parseJson(e.topReasons, []),
    topRoutes: parseJson(e.topRoutes, []),
    rule,
    notified: e.notified,
  };
}

export function silenceView(s: SilenceRow, now: number): SilenceView {
  return { ...s, matcher: parseJson<SilenceMatcher>(s.matcher, {}), active: s.startsAt <= now && s.endsAt > now };
}

export function attemptView(a: AttemptRow): Static<typeof AttemptSchema> {
  return { deliveryId: a.deliveryId, event: a.event, at: a.at, status: a.status, error: a.error, durationMs: a.durationMs };
}

export function targetView(t: TargetRow, last: AttemptRow | undefined): TargetView {
  const kind = t.kind === 'slack' || t.kind === 'alertmanager' ? t.kind : 'webhook';
  return { id: t.id, name: t.name, kind, urlHint: urlHint(t.url), enabled: t.enabled, createdAt: t.createdAt, updatedAt: t.updatedAt, lastAttempt: last === undefined ? null : attemptView(last) };
}

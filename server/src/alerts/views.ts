import type { AttemptRow, EpisodeRow, SilenceRow, TargetRow } from '../storage/alerts/alert-store.js';
import { parseGroupKey } from './group.js';
import type { DeliveryAttemptView, EpisodeView, SilenceMatcher, SilenceView, TargetView } from './api-schemas.js';

export {
  ActiveAlertSchema,
  AttemptSchema,
  EpisodeSchema,
  GroupSchema,
  SilenceMatcherSchema,
  SilenceSchema,
  TargetSchema,
  TopReasonSchema,
  TopRouteSchema,
} from './api-schemas.js';
export type { ActiveAlert, DeliveryAttemptView, EpisodeView, SilenceMatcher, SilenceView, TargetView } from './api-schemas.js';

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

export function attemptView(a: AttemptRow): DeliveryAttemptView {
  return { deliveryId: a.deliveryId, event: a.event, at: a.at, status: a.status, error: a.error, durationMs: a.durationMs };
}

export function targetView(t: TargetRow, last: AttemptRow | undefined): TargetView {
  const kind = t.kind === 'slack' || t.kind === 'alertmanager' ? t.kind : 'webhook';
  return { id: t.id, name: t.name, kind, urlHint: urlHint(t.url), enabled: t.enabled, createdAt: t.createdAt, updatedAt: t.updatedAt, lastAttempt: last === undefined ? null : attemptView(last) };
}

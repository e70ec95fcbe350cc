import { formatCloseCode, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import { describeGroup, type AlertGroup } from './group.js';
import type { AlertRule, Selector } from './rule.js';

/** Version of the JSON webhook payload; it changes only when a field changes meaning or goes away. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

export type NotificationEvent = 'firing' | 'resolved' | 'repeat' | 'test';

export interface TopReason {
  code: number | null;
  codeName: string;
  template: string;
  count: number;
}

export interface TopRoute {
  service: string;
  route: string;
  count: number;
}

/**
 * A notification as stored in the outbox and sent as the generic JSON webhook; Slack
 * and Alertmanager get renderings of it. `id` (the outbox entry) lets a receiver drop
 * a retry it already took.
 */
export interface AlertNotification {
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  id: string;
  event: NotificationEvent;
  /** firing (also for repeats) or resolved. */
  status: 'firing' | 'resolved';
  summary: string;
  rule: { id: string; name: string; severity: string };
  group: AlertGroup;
  /** What the rule watches, with code names: `1011 Internal Error (Error)`. */
  watching: string;
  episodeId: string | null;
  /** Epoch ms: when the condition started to hold, when it fired, when it resolved. */
  pendingSince: number | null;
  startedAt: number | null;
  endedAt: number | null;
  /** The compared value and the typical value (baseline) at the peak; see the rule's condition. */
  value: number | null;
  baseline: number | null;
  unit: string;
  topReasons: TopReason[];
  topRoutes: TopRoute[];
  /** The dashboard filtered to this spike. */
  dashboardUrl: string;
}

/**
 * What a rule watches, in words: `1011 Internal Error (Error)`, `4001 Room closed` (a
 * team's own name, from `names`) or `category server-error`.
 */
export function describeSelector(selector: Selector, names?: CustomCloseCodes): string {
  const what =
    selector.codes !== undefined
      ? selector.codes.map((c) => formatCloseCode(c, names)).join(', ')
      : `category ${selector.category ?? 'unknown'}`;
  const scope = [
    selector.service === undefined ? '' : `service ${selector.service}`,
    selector.route === undefined ? '' : `route ${selector.route}`,
    selector.instance === undefined ? '' : `instance ${selector.instance}`,
    selector.label === undefined ? '' : `label ${selector.label.key}=${selector.label.value}`,
  ].filter(Boolean);
  return scope.length === 0 ? what : `${what} (${scope.join(', ')})`;
}

/** The unit of a rule's compared value. */
export function valueUnit(rule: Pick<AlertRule, 'condition'>): string {
  const c = rule.condition;
  if (c.type === 'ratio') return 'share of closes';
  if (c.type === 'threshold') return c.measure === 'rate' ? 'closes/min' : `closes in ${c.windowMinutes} min`;
  if (c.type === 'reconnect-storm') return 'reconnects/s at peak';
  return 'closes/min';
}

function formatValue(value: number, unit: string): string {
  if (unit === 'share of closes') return `${(value * 100).toFixed(1)}%`;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/** The dashboard URL of a spike: the group's service and the rule's codes, from before it began to its end (or now). */
export function dashboardUrl(base: string, selector: Selector, group: AlertGroup, from: number, to: number): string {
  const params = new URLSearchParams();
  params.set('from', new Date(from).toISOString());
  params.set('to', new Date(to).toISOString());
  const service = group.service ?? selector.service;
  if (service !== undefined) params.set('service', service);
  const route = group.route ?? selector.route;
  if (route !== undefined) params.set('route', route);
  if (selector.codes !== undefined) params.set('code', selector.codes.map((c) => (c === null ? 'none' : String(c))).join(','));
  else if (selector.category !== undefined) params.set('category', selector.category);
  if (selector.label !== undefined) params.set('label', `${selector.label.key}:${selector.label.value}`);
  params.set('live', '0');
  return `${base.replace(/\/$/, '')}/?${params.toString()}`;
}

/** One line a person reads first. */
export function summarize(n: Omit<AlertNotification, 'summary' | 'version'>): string {
  const where = describeGroup(n.group);
  if (n.event === 'test') return `Test notification from closewatch: this target works`;
  const value = n.value === null ? '' : `: ${formatValue(n.value, n.unit)}`;
  const against = n.baseline === null ? '' : ` against a baseline of ${formatValue(n.baseline, n.unit)}`;
  const since = n.startedAt === null ? '' : ` since ${new Date(n.startedAt).toISOString()}`;
  if (n.status === 'resolved') return `[resolved] ${n.rule.name} on ${where}: ${n.watching} back to normal${since}`;
  return `[${n.rule.severity}] ${n.rule.name} on ${where}${value}${against} (${n.watching})${since}`;
}

/** A Slack-compatible incoming-webhook message. */
export function slackMessage(n: AlertNotification): unknown {
  const reasons = n.topReasons.slice(0, 3).map((r) => `• ${r.codeName}: ${r.template === '' ? '(no reason)' : r.template} ×${r.count}`);
  const routes = n.topRoutes.slice(0, 3).map((r) => `• ${r.service} ${r.route} ×${r.count}`);
  const text = `${n.summary}\n<${n.dashboardUrl}|Open in closewatch>`;
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if (reasons.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Top reasons*\n${reasons.join('\n')}` } });
  if (routes.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Top routes*\n${routes.join('\n')}` } });
  return { text, blocks };
}

/**
 * Alertmanager's `POST /api/v2/alerts` body: one alert, identified by its labels. It is
 * re-sent while firing (Alertmanager resolves alerts it stops hearing about) and sent
 * with `endsAt` when resolved.
 */
export function alertmanagerAlerts(n: AlertNotification, generatorUrl: string): unknown[] {
  const labels: Record<string, string> = { alertname: n.rule.name, severity: n.rule.severity, rule_id: n.rule.id, source: 'closewatch' };
  if (n.group.service !== undefined) labels.service = n.group.service;
  if (n.group.route !== undefined) labels.route = n.group.route;
  const alert: Record<string, unknown> = {
    labels,
    annotations: {
      summary: n.summary,
      watching: n.watching,
      value: n.value === null ? '' : String(n.value),
      baseline: n.baseline === null ? '' : String(n.baseline),
      top_reasons: n.topReasons.map((r) => `${r.codeName}: ${r.template} x${r.count}`).join('; '),
      dashboard: n.dashboardUrl,
    },
    generatorURL: generatorUrl,
  };
  if (n.startedAt !== null) alert.startsAt = new Date(n.startedAt).toISOString();
  if (n.status === 'resolved' && n.endedAt !== null) alert.endsAt = new Date(n.endedAt).toISOString();
  return [alert];
}

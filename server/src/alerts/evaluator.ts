import { formatCloseCode, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { AlertChanges, EpisodeRow, InstanceRow, NewDelivery, SilenceRow, TargetRow } from '../storage/alerts/alert-store.js';
import { newId } from '../storage/alerts/alert-store.js';
import type { CodeMinute } from '../storage/sql/alert-reader.js';
import type { Storage } from '../storage/storage.js';
import { alignWindow } from '../storage/time-window.js';
import { MINUTE_MS, type CloseFilters } from '../storage/types.js';
import type { AlertEvent } from './alert-event.js';
import { evaluate, type Evaluation } from './detect.js';
import { parseGroupKey, type AlertGroup } from './group.js';
import { dashboardUrl, describeSelector, summarize, valueUnit, WEBHOOK_PAYLOAD_VERSION, type AlertNotification, type NotificationEvent, type TopReason, type TopRoute } from './notification.js';
import { selectedFilters, type AlertRule } from './rule.js';
import { toRule } from './rule-codec.js';
import { evaluationWindows, addReconnectPeaks, fitsCodeMatrix, fromCodeMatrix, readRuleMinutes, seriesAt, type GroupMinutes, type RuleMinutes } from './rule-data.js';
import { step } from './state-machine.js';

export type { AlertEvent } from './alert-event.js';

export interface EvaluatorOptions {
  clock: () => number;
  /**
   * How far behind now the evaluated minute is taken: the minute holding `now - ingestLagMs`
   * (the newest, still filling, when 0). A little lag lets closes still in SDK queues
   * (flushed every few seconds) arrive before a minute is judged.
   */
  ingestLagMs: number;
  /** Base of the dashboard links in notifications. */
  publicUrl: string;
  onEvent?: (event: AlertEvent) => void;
  onRuleSkipped?: (ruleId: string, reason: string) => void;
  /** The team's own code names, for notification texts (default none). */
  codeNames?: () => CustomCloseCodes;
}

export interface CycleReport {
  /** The end of the minute evaluated (epoch ms). */
  minute: number;
  rules: number;
  groups: number;
  firing: number;
  transitions: number;
  ms: number;
}

const EMPTY_GROUP: Omit<GroupMinutes, 'group'> = { selected: new Map(), total: new Map() };

/** The end of the minute evaluated at `now`: the minute that holds `now - lagMs`. */
export function evaluatedMinuteEnd(now: number, lagMs: number): number {
  return Math.floor((now - lagMs) / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
}

/** Labels of an alert instance, as silences and Alertmanager see them. */
export function instanceLabels(rule: Pick<AlertRule, 'id' | 'name' | 'severity'>, group: AlertGroup): Record<string, string> {
  const labels: Record<string, string> = { alertname: rule.name, rule_id: rule.id, severity: rule.severity };
  if (group.service !== undefined) labels.service = group.service;
  if (group.route !== undefined) labels.route = group.route;
  return labels;
}

/** Whether a silence (active now) mutes an instance of `rule` for `group`. */
export function silenced(silences: readonly SilenceRow[], rule: Pick<AlertRule, 'id' | 'name' | 'severity'>, group: AlertGroup): boolean {
  const labels = instanceLabels(rule, group);
  return silences.some((s) => {
    let m: { ruleId?: unknown; service?: unknown; label?: { key?: unknown; value?: unknown } };
    try {
      m = JSON.parse(s.matcher) as typeof m;
    } catch {
      return false;
    }
    if (typeof m.ruleId === 'string' && m.ruleId !== rule.id) return false;
    if (typeof m.service === 'string' && m.service !== group.service) return false;
    if (m.label !== undefined && (typeof m.label.key !== 'string' || labels[m.label.key] !== m.label.value)) return false;
    return m.ruleId !== undefined || m.service !== undefined || m.label !== undefined;
  });
}

/**
 * One evaluation cycle over every enabled rule: read the rollups (one shared read for
 * rules that select by code, category and service; raw events only for label or
 * instance filters), evaluate each group's newest complete minute, move each instance
 * through its states, and write the changes with the notifications they cause in one
 * transaction per rule.
 */
export class AlertEvaluator {
  constructor(
    private readonly db: Storage,
    private readonly options: EvaluatorOptions,
  ) {}

  async evaluate(now: number = this.options.clock()): Promise<CycleReport> {
    const started = performance.now();
    const end = evaluatedMinuteEnd(now, this.options.ingestLagMs);
    const store = this.db.alerts;
    const rules: AlertRule[] = [];
    for (const row of await store.listRules()) {
      if (!row.enabled) continue;
      const rule = toRule(row);
      if (rule === null) this.options.onRuleSkipped?.(row.id, 'its stored selector or condition no longer validates');
      else rules.push(rule);
    }
    const instances = new Map<string, InstanceRow>();
    for (const i of await store.listInstances()) instances.set(`${i.ruleId}\u0000${i.groupKey}`, i);
    const episodes = new Map((await store.openEpisodes()).map((e) => [e.id, e]));
    const silences = await store.silences(now);
    const targets = (await store.targets()).filter((t) => t.enabled);
    const historyFrom = await this.db.alertSeries.firstMinute();
    const windows = evaluationWindows(end);
    const readWindows = historyFrom > 0 && historyFrom <= windows.yesterday.from ? [windows.recent, windows.yesterday] : [windows.recent];

    let matrix: CodeMinute[] | null = null;
    const names = this.options.codeNames?.();
    const report: CycleReport = { minute: end, rules: rules.length, groups: 0, firing: 0, transitions: 0, ms: 0 };
    for (const rule of rules) {
      let minutes: RuleMinutes;
      if (fitsCodeMatrix(rule)) {
        if (matrix === null) {
          matrix = [];
          for (const w of readWindows) matrix.push(...(await this.db.alertSeries.codeMinutes(w)));
        }
        minutes = fromCodeMatrix(rule, matrix, new Map(), names);
      } else {
        minutes = await readRuleMinutes(this.db.alertSeries, rule, readWindows, names);
      }
      if (rule.condition.type === 'reconnect-storm') await addReconnectPeaks(this.db.reconnects, rule, windows.recent, minutes);
      const keys = new Set(minutes.keys());
      for (const i of instances.values()) if (i.ruleId === rule.id) keys.add(i.groupKey);
      const changes: AlertChanges = { upsertInstances: [], deleteInstances: [], createEpisodes: [], updateEpisodes: [], deliveries: [] };
      for (const key of keys) {
        const data = minutes.get(key) ?? { group: parseGroupKey(key), ...EMPTY_GROUP };
        const evaluation = evaluate(rule.condition, seriesAt(data, end, historyFrom));
        const prev = instances.get(`${rule.id}\u0000${key}`);
        const moved = await this.apply(rule, data.group, key, prev, evaluation, now, end, episodes, silences, targets, changes);
        report.transitions += moved;
        report.groups += 1;
      }
      await store.apply(changes);
      report.firing += changes.upsertInstances.filter((i) => i.state === 'firing').length;
    }
    report.ms = performance.now() - started;
    return report;
  }

  /** Moves one instance and records what that changes; returns 1 when its state changed. */
  private async apply(
    rule: AlertRule,
    group: AlertGroup,
    key: string,
    prev: InstanceRow | undefined,
    evaluation: Evaluation,
    now: number,
    end: number,
    episodes: Map<string, EpisodeRow>,
    silences: readonly SilenceRow[],
    targets: readonly TargetRow[],
    changes: AlertChanges,
  ): Promise<number> {
    const moved = step(prev, evaluation.holds, now, rule, { ruleId: rule.id, groupKey: key });
    const muted = silenced(silences, rule, group);
    let episodeId = prev?.episodeId ?? null;
    const event = (change: AlertEvent['change']): void =>
      this.options.onEvent?.({ type: 'alert', change, ruleId: rule.id, ruleName: rule.name, severity: rule.severity, group, episodeId, value: evaluation.value, at: now });

    if (moved.began && moved.next !== null) {
      const episode = await this.beginEpisode(rule, group, key, moved.next.pendingSince, now, end, evaluation, !muted);
      episodeId = episode.id;
      changes.createEpisodes.push(episode);
      if (!muted) changes.deliveries.push(...this.notify(rule, targets, 'firing', episode, group, now));
      event('firing');
    } else if (moved.ended && episodeId !== null) {
      const episode = episodes.get(episodeId);
      if (episode !== undefined) {
        changes.updateEpisodes.push({ id: episodeId, endedAt: now });
        if (episode.notified) changes.deliveries.push(...this.notify(rule, targets, 'resolved', { ...episode, endedAt: now }, group, now));
      }
      event('resolved');
    } else if (moved.next?.state === 'firing' && episodeId !== null) {
      const episode = episodes.get(episodeId);
      if (episode !== undefined) this.whileFiring(rule, group, episode, evaluation, muted, now, targets, changes);
    } else if (moved.next?.state === 'pending' && prev === undefined) {
      event('pending');
    }

    if (moved.next === null) {
      if (prev !== undefined) changes.deleteInstances.push({ ruleId: rule.id, groupKey: key });
    } else if (prev === undefined || prev.state !== moved.next.state || prev.lastTrueAt !== moved.next.lastTrueAt || prev.episodeId !== episodeId) {
      changes.upsertInstances.push({ ...moved.next, episodeId });
    }
    return prev?.state !== moved.next?.state ? 1 : 0;
  }

  /** While firing: a higher peak, a notification a silence held back, or the repeat interval. */
  private whileFiring(
    rule: AlertRule,
    group: AlertGroup,
    episode: EpisodeRow,
    evaluation: Evaluation,
    muted: boolean,
    now: number,
    targets: readonly TargetRow[],
    changes: AlertChanges,
  ): void {
    const update: AlertChanges['updateEpisodes'][number] = { id: episode.id };
    if (evaluation.value > episode.peakValue) update.peakValue = evaluation.value;
    if (!muted && !episode.notified) {
      changes.deliveries.push(...this.notify(rule, targets, 'firing', episode, group, now));
      update.notified = true;
      update.lastNotifiedAt = now;
    } else if (!muted && rule.repeatIntervalMs !== null && episode.lastNotifiedAt !== null && now - episode.lastNotifiedAt >= rule.repeatIntervalMs) {
      changes.deliveries.push(...this.notify(rule, targets, 'repeat', episode, group, now));
      update.lastNotifiedAt = now;
    }
    if (Object.keys(update).length > 1) changes.updateEpisodes.push(update);
  }

  private async beginEpisode(
    rule: AlertRule,
    group: AlertGroup,
    key: string,
    pendingSince: number,
    now: number,
    end: number,
    evaluation: Evaluation,
    notify: boolean,
  ): Promise<EpisodeRow> {
    const { reasons, routes } = await this.spikeContext(rule, group, pendingSince, end);
    return {
      id: newId('ep'),
      ruleId: rule.id,
      groupKey: key,
      pendingSince,
      startedAt: now,
      endedAt: null,
      peakValue: evaluation.value,
      baseline: JSON.stringify({ value: evaluation.value, baseline: evaluation.baseline, ...evaluation.detail }),
      topReasons: JSON.stringify(reasons),
      topRoutes: JSON.stringify(routes),
      ruleSnapshot: JSON.stringify(rule),
      notified: notify,
      lastNotifiedAt: notify ? now : null,
    };
  }

  /** The top reasons and routes of the watched closes from a minute before the condition held. */
  private async spikeContext(rule: AlertRule, group: AlertGroup, from: number, end: number): Promise<{ reasons: TopReason[]; routes: TopRoute[] }> {
    const filters: CloseFilters = selectedFilters(rule.selector, this.options.codeNames?.());
    if (group.service !== undefined) filters.service = group.service;
    if (group.route !== undefined) filters.route = group.route;
    const window = alignWindow(Math.min(from, end - MINUTE_MS) - MINUTE_MS, Math.max(end, from + MINUTE_MS));
    const [templates, routes] = await Promise.all([this.db.stats.templates(window, filters, 5, 3), this.db.stats.breakdown(window, filters, 'route', 5)]);
    const reasons = templates.rows
      .flatMap((c) => c.templates.map((t) => ({ code: c.code, codeName: formatCloseCode(c.code, this.options.codeNames?.()), template: t.template, count: t.count })))
      .sort((a, b) => b.count - a.count)
      .slice(0, 5);
    return { reasons, routes: routes.rows.map((r) => ({ service: r.service, route: r.route ?? '', count: r.total })) };
  }

  private notify(rule: AlertRule, targets: readonly TargetRow[], event: NotificationEvent, episode: EpisodeRow, group: AlertGroup, now: number): NewDelivery[] {
    const chosen = rule.targetIds === null ? targets : targets.filter((t) => rule.targetIds?.includes(t.id));
    const body = episodeNotification(rule, episode, group, event, this.options.publicUrl, now, this.options.codeNames?.());
    return chosen.map((t) => ({ targetId: t.id, episodeId: episode.id, event, payload: JSON.stringify(body) }));
  }
}

/** The notification of an episode (its id is filled in per delivery when sent). */
export function episodeNotification(
  rule: AlertRule,
  episode: EpisodeRow,
  group: AlertGroup,
  event: NotificationEvent,
  publicUrl: string,
  now: number,
  names?: CustomCloseCodes,
): Omit<AlertNotification, 'id'> {
  const baseline = (JSON.parse(episode.baseline) as { baseline?: number }).baseline ?? null;
  const base = {
    event,
    status: event === 'resolved' ? ('resolved' as const) : ('firing' as const),
    rule: { id: rule.id, name: rule.name, severity: rule.severity },
    group,
    watching: describeSelector(rule.selector, names),
    episodeId: episode.id,
    pendingSince: episode.pendingSince,
    startedAt: episode.startedAt,
    endedAt: episode.endedAt,
    value: episode.peakValue,
    baseline,
    unit: valueUnit(rule),
    topReasons: JSON.parse(episode.topReasons) as TopReason[],
    topRoutes: JSON.parse(episode.topRoutes) as TopRoute[],
    dashboardUrl: dashboardUrl(publicUrl, rule.selector, group, episode.pendingSince - 10 * MINUTE_MS, episode.endedAt ?? now),
  };
  return { version: WEBHOOK_PAYLOAD_VERSION, ...base, summary: summarize({ ...base, id: '' }) };
}


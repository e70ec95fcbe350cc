import { CATEGORY_LABELS, formatCloseCode, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { AlertRule, Condition, Selector } from '@closewatch/server/api-types';

import { formatDuration, formatRate, formatShare } from '@/lib/format';

/** An alert instance's group in words: `chat`, `chat /ws`, `all services`. */
export function describeAlertGroup(group: { service?: string; route?: string }): string {
  if (group.service === undefined) return 'all services';
  return group.route === undefined ? group.service : `${group.service} ${group.route}`;
}

/** What a rule watches, codes with their names: `1011 Internal Error (Error) on service chat`. */
export function describeSelector(selector: Selector, names?: CustomCloseCodes): string {
  const what =
    selector.codes !== undefined
      ? selector.codes.map((c) => formatCloseCode(c, names)).join(', ')
      : selector.category !== undefined
        ? `every ${CATEGORY_LABELS[selector.category]} close`
        : 'no codes';
  const scope = [
    selector.service === undefined ? null : `service ${selector.service}`,
    selector.route === undefined ? null : `route ${selector.route}`,
    selector.instance === undefined ? null : `instance ${selector.instance}`,
    selector.label === undefined ? null : `label ${selector.label.key}=${selector.label.value}`,
  ].filter((s): s is string => s !== null);
  return scope.length === 0 ? what : `${what} on ${scope.join(', ')}`;
}

/** When a rule fires, with units: `more than 10 closes in 5 min`, `robust z-score ≥ 3.5 (at least 5 closes/min and 2% of closes)`. */
export function describeCondition(condition: Condition): string {
  switch (condition.type) {
    case 'threshold':
      return condition.measure === 'rate'
        ? `more than ${formatRate(condition.above)} closes/min over ${condition.windowMinutes} min`
        : `more than ${formatRate(condition.above)} closes in ${condition.windowMinutes} min`;
    case 'ratio':
      return `more than ${formatShare(condition.above)} of all closes over ${condition.windowMinutes} min (at least ${condition.minCount} closes)`;
    case 'reconnect-storm':
      return `reconnect storm: more than ${formatRate(condition.above)}x the normal connection rate in one second within ${condition.windowMinutes} min (at least ${condition.minPerSecond} reconnects/s)`;
    case 'anomaly':
      return `anomaly: robust z-score \u2265 ${condition.zScore} against the last 60 min (at least ${condition.minCount} closes/min and ${formatShare(condition.minRatio)} of the minute's closes)`;
  }
}

/** `for 3 min, keeps firing 5 min, per service, no repeat`. */
export function describeTiming(rule: Pick<AlertRule, 'forMs' | 'keepFiringForMs' | 'groupBy' | 'repeatIntervalMs'>): string {
  const group = rule.groupBy === 'none' ? 'one alert for everything' : rule.groupBy === 'route' ? 'per service and route' : 'per service';
  const holds = rule.forMs === 0 ? 'fires at once' : `for ${formatDuration(rule.forMs)}`;
  const repeat = rule.repeatIntervalMs === null ? 'no repeat' : `repeats every ${formatDuration(rule.repeatIntervalMs)}`;
  return `${holds}, keeps firing ${formatDuration(rule.keepFiringForMs)}, ${group}, ${repeat}`;
}

/** A compared value with the unit of the rule's condition: `12 closes/min`, `7.5% of closes`, `14 closes in 5 min`. */
export function formatAlertValue(value: number | null, condition: Condition | undefined): string {
  if (value === null) return '\u2014';
  if (condition === undefined) return formatRate(value);
  if (condition.type === 'ratio') return `${formatShare(value)} of closes`;
  if (condition.type === 'reconnect-storm') return `${formatRate(value)} reconnects/s at peak`;
  if (condition.type === 'threshold' && condition.measure === 'count') return `${formatRate(value)} closes in ${condition.windowMinutes} min`;
  return `${formatRate(value)} closes/min`;
}

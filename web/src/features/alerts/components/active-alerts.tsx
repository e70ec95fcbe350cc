import type { ActiveAlert, AlertRule } from '@closewatch/server/api-types';

import { TableHead } from '@/components/ui/table-head';
import { formatDateTime, formatDuration } from '@/lib/format';

import { describeAlertGroup, formatAlertValue } from '../lib/describe-rule';
import { TopReasonsList } from './top-reasons-list';

interface ActiveAlertsProps {
  active: readonly ActiveAlert[];
  rules: readonly AlertRule[];
  now: number;
}

/** What is pending or firing now: since when, value against baseline, top reasons, silenced or not. */
export function ActiveAlerts({ active, rules, now }: ActiveAlertsProps) {
  if (active.length === 0) {
    return (
      <p className="empty-hint" data-testid="active-empty">
        No alert is pending or firing. Alerts appear here (and on the overview) the moment a rule&rsquo;s condition holds;
        the rules below say what they watch.
      </p>
    );
  }
  const byId = new Map(rules.map((r) => [r.id, r]));
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="active-alerts">
        <caption className="visually-hidden">Active alerts</caption>
        <TableHead columns={['State', 'Rule', 'Group', 'Since', { label: 'Peak', num: true }, { label: 'Baseline', num: true }, 'Top reasons']} />
        <tbody>
          {active.map((a) => {
            const condition = (a.episode?.rule ?? byId.get(a.ruleId))?.condition;
            const since = a.state === 'firing' && a.episode !== null ? a.episode.startedAt : a.pendingSince;
            return (
              <tr key={`${a.ruleId}-${describeAlertGroup(a.group)}`} data-testid="active-alert" data-state={a.state} data-rule-id={a.ruleId}>
                <td>
                  <span className="alert-state" data-state={a.state}>
                    {a.state}
                  </span>
                  {a.silenced && (
                    <span className="tag" data-testid="silenced">
                      silenced
                    </span>
                  )}
                </td>
                <td>
                  <strong>{a.ruleName}</strong>{' '}
                  <span className="severity" data-severity={a.severity}>
                    {a.severity}
                  </span>
                </td>
                <td>{describeAlertGroup(a.group)}</td>
                <td>
                  {a.state === 'firing' ? 'firing' : 'pending'} since {formatDateTime(since)}
                  <div className="muted small">{formatDuration(Math.max(0, now - since))} ago</div>
                </td>
                <td className="num">{a.episode === null ? '\u2014' : formatAlertValue(a.episode.peak, condition)}</td>
                <td className="num">{a.episode === null ? '\u2014' : formatAlertValue(a.episode.baseline, condition)}</td>
                <td>{a.episode === null ? <span className="muted">known once it fires</span> : <TopReasonsList reasons={a.episode.topReasons} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import type { EpisodeView } from '@closewatch/server/api-types';

import { TableHead } from '@/components/ui/table-head';
import { useCustomCodeNames } from '@/lib/code-names';
import { formatDateTime, formatDuration } from '@/lib/format';

import { describeAlertGroup, describeCondition, describeSelector, formatAlertValue } from '../lib/describe-rule';
import { TopReasonsList } from './top-reasons-list';

interface AlertHistoryProps {
  episodes: readonly EpisodeView[];
  windowLabel: string;
  now: number;
}

/** Every episode of the window: when it fired and resolved, its peak and baseline, and the rule as it was then. */
export function AlertHistory({ episodes, windowLabel, now }: AlertHistoryProps) {
  const names = useCustomCodeNames();
  if (episodes.length === 0) {
    return (
      <p className="empty-hint" data-testid="history-empty">
        No alert fired in the {windowLabel}. Widen the time range above to see older episodes, or backtest a rule to see
        when it would have fired.
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="alert-history">
        <caption className="visually-hidden">Alert episodes, {windowLabel}</caption>
        <TableHead columns={['Rule', 'Group', 'Fired', 'Resolved', { label: 'Peak', num: true }, { label: 'Baseline', num: true }, 'Top reasons']} />
        <tbody>
          {episodes.map((e) => (
            <tr key={e.id} data-testid="episode-row" data-episode-id={e.id}>
              <td>
                <strong>{e.ruleName}</strong>{' '}
                <span className="severity" data-severity={e.severity}>
                  {e.severity}
                </span>
                {e.rule !== null && (
                  <details className="rule-snapshot">
                    <summary>the rule as it fired</summary>
                    <p>
                      Watching {describeSelector(e.rule.selector, names)}; {describeCondition(e.rule.condition)}; for {formatDuration(e.rule.forMs)}.
                    </p>
                  </details>
                )}
              </td>
              <td>{describeAlertGroup(e.group)}</td>
              <td>{formatDateTime(e.startedAt)}</td>
              <td>
                {e.endedAt === null ? (
                  <span className="alert-state" data-state="firing">
                    still firing ({formatDuration(Math.max(0, now - e.startedAt))})
                  </span>
                ) : (
                  <>
                    {formatDateTime(e.endedAt)}
                    <div className="muted small">after {formatDuration(e.endedAt - e.startedAt)}</div>
                  </>
                )}
              </td>
              <td className="num">{formatAlertValue(e.peak, e.rule?.condition)}</td>
              <td className="num">{formatAlertValue(e.baseline, e.rule?.condition)}</td>
              <td>
                <TopReasonsList reasons={e.topReasons} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

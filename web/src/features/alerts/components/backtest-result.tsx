import type { RuleInput } from '@closewatch/server/api-types';

import { StackedAreaChart } from '@/components/charts/stacked-area-chart';
import { QueryView } from '@/components/ui/query-view';
import { TableHead } from '@/components/ui/table-head';
import { useTimeseries } from '@/features/overview/api/get-timeseries';
import { describeBucket, toStackedRows } from '@/features/overview/lib/shape-timeseries';
import { useCustomCodeNames } from '@/lib/code-names';
import { formatClock, formatDateTime } from '@/lib/format';

import type { BacktestAnswer } from '../api/backtest-alert-rule';
import { describeAlertGroup, formatAlertValue } from '../lib/describe-rule';
import { backtestBands, selectorFilters } from '../lib/episode-bands';

interface BacktestResultProps {
  result: BacktestAnswer;
  rule: RuleInput;
  /** The range in words: `24 h`. */
  windowLabel: string;
}

/** "This rule would have fired N times in the last 24 h": the watched closes with the episodes shaded, and their list. */
export function BacktestResult({ result, rule, windowLabel: window }: BacktestResultProps) {
  const names = useCustomCodeNames();
  const range = { kind: 'absolute' as const, from: result.from, to: result.to };
  const series = useTimeseries({ range, filters: selectorFilters(rule.selector), groupBy: 'code' });
  const n = result.episodes.length;
  // The minute still filling is not replayed: a spike of the last seconds shows once its minute is complete.
  const evaluated = `complete minutes only; ${result.minutesEvaluated} one-minute evaluations`;
  return (
    <div className="backtest" data-testid="backtest-result" data-episodes={n}>
      <p className="backtest-summary" data-testid="backtest-summary">
        {n === 0
          ? `This rule would not have fired in the last ${window} (${evaluated}).`
          : `This rule would have fired ${n} ${n === 1 ? 'time' : 'times'} in the last ${window} (${evaluated}).`}
      </p>
      <QueryView query={series} what="the watched closes">
        {(data) => {
          const { rows, series: lines } = toStackedRows(data, names);
          if (lines.length === 0) {
            return <p className="empty-hint">None of the closes this rule watches arrived in the last {window}: nothing to chart.</p>;
          }
          return (
            <StackedAreaChart
              id="backtest-chart"
              caption={`Watched closes per ${describeBucket(data.bucketMs)}, ${formatDateTime(result.from)} \u2013 ${formatDateTime(result.to)}, shaded where the rule would have fired`}
              rows={rows}
              series={lines}
              unit="closures"
              height={200}
              formatTick={(t) => formatClock(t)}
              formatTime={(t) => `${formatDateTime(t)} (+${describeBucket(data.bucketMs)})`}
              bands={backtestBands(result.episodes, result.to)}
              bandsTitle="Would have fired"
            />
          );
        }}
      </QueryView>
      {n > 0 && (
        <div className="table-scroll">
          <table className="data-table compact" data-testid="backtest-episodes">
            <caption className="visually-hidden">Episodes the rule would have produced</caption>
            <TableHead columns={['Group', 'Fired', 'Resolved', { label: 'Peak', num: true }, { label: 'Baseline', num: true }]} />
            <tbody>
              {result.episodes.map((e, i) => (
                <tr key={i} data-testid="backtest-episode">
                  <td>{describeAlertGroup(e.group)}</td>
                  <td>{formatDateTime(e.start)}</td>
                  <td>{e.end === null ? 'still firing at the end' : formatDateTime(e.end)}</td>
                  <td className="num">{formatAlertValue(e.peak, rule.condition)}</td>
                  <td className="num">{formatAlertValue(e.baseline, rule.condition)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

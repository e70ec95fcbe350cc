import type { Summary } from '@closewatch/server/api-types';

import { BarChart } from '@/components/charts/bar-chart';
import { CloseCodeLabel } from '@/components/ui/close-code-label';
import type { CodeFilter } from '@/features/filters/lib/view-state';
import { useCustomCodeNames } from '@/lib/code-names';
import { formatCount, formatShare } from '@/lib/format';

import { CODE_COUNT_SERIES, codeDistributionChartRows, codeDistributionRows } from '../lib/code-distribution';

interface CodeDistributionProps {
  byCode: Summary['byCode'];
  windowLabel: string;
  /** Adds the code to the filters. */
  onFilterCode?: ((code: CodeFilter) => void) | undefined;
}

/** Every code seen in the window with its name, count and share. */
export function CodeDistribution({ byCode, windowLabel, onFilterCode }: CodeDistributionProps) {
  const rows = codeDistributionRows(byCode, useCustomCodeNames());
  if (rows.length === 0) {
    return (
      <p className="empty-hint" data-testid="code-distribution">
        No closures in the {windowLabel}: codes appear here as soon as an SDK reports a closed connection.
      </p>
    );
  }
  return (
    <>
      <BarChart
        id="code-distribution-chart"
        caption={`Closures by code (closures, ${windowLabel})`}
        rows={codeDistributionChartRows(rows)}
        series={[CODE_COUNT_SERIES]}
        rowColors={rows.map((r) => r.color)}
        unit="closures"
        orientation="horizontal"
        xLabel="Code"
        height={Math.max(120, rows.length * 28 + 40)}
        labelWidth={200}
      />
      <div className="table-scroll">
        <table className="data-table" data-testid="code-distribution">
          <caption className="visually-hidden">Closures by code, {windowLabel}</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col" className="num">
                Closures
              </th>
              <th scope="col" className="num">
                Share
              </th>
              {onFilterCode && (
                <th scope="col">
                  <span className="visually-hidden">Filter</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-testid={`code-row-${row.key}`}>
                <td>
                  <CloseCodeLabel code={row.code} />
                </td>
                <td className="num" data-testid={`code-count-${row.key}`} data-value={row.count}>
                  {formatCount(row.count)}
                </td>
                <td className="num">
                  <span className="share-bar" style={{ width: `${Math.round(row.share * 100)}%`, background: row.color }} />
                  {formatShare(row.share)}
                </td>
                {onFilterCode && (
                  <td>
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => onFilterCode(row.code)}
                      aria-label={`Filter by ${row.label}`}
                    >
                      Filter
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

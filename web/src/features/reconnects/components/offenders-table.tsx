import type { Reconnects } from '@closewatch/server/api-types';

import { TableHead } from '@/components/ui/table-head';

import { FIXED_DELAY_HINT, offenderRows } from '../lib/offenders';

/** The client populations that come back too fast, and whether their delay is fixed. */
export function OffendersTable({ offenders, advisedFrom }: { offenders: Reconnects['offenders']; advisedFrom: string }) {
  if (offenders.length === 0) {
    return (
      <p className="empty-hint" data-testid="offenders-empty">
        No client population reconnected faster than {advisedFrom}: every group of clients waited as advised.
      </p>
    );
  }
  const rows = offenderRows(offenders);
  return (
    <>
      <div className="table-scroll">
        <table className="data-table" data-testid="offenders">
          <TableHead
            columns={[
              'Population',
              'Clients',
              { label: 'Reconnected', num: true },
              { label: 'Too fast', num: true },
              { label: 'Too fast share', num: true },
              { label: 'Median delay', num: true },
              { label: 'Spread', num: true },
              'Delay',
            ]}
          />
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-testid="offender-row" data-kind={row.kind}>
                <td className="nowrap">{row.population}</td>
                <td className="offender-value">
                  <code>{row.value}</code>
                </td>
                <td className="num">{row.reconnected}</td>
                <td className="num">{row.tooFast}</td>
                <td className="num">{row.tooFastShare}</td>
                <td className="num">{row.medianDelay}</td>
                <td className="num">{row.spread}</td>
                <td>
                  {row.fixedDelay ? (
                    <span className="tag tag-fixed" title={FIXED_DELAY_HINT} data-testid="fixed-delay">
                      Fixed delay
                    </span>
                  ) : (
                    <span className="muted">randomized</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="panel-footnote">
        Delays run from the close to the same client&rsquo;s next connection; the spread is how far apart the
        population&rsquo;s delays lie (a randomized delay spreads over seconds, a fixed one hardly at all).
      </p>
      {rows.some((r) => r.fixedDelay) && (
        <p className="panel-footnote" data-testid="fixed-delay-hint">
          <strong>Fixed delay:</strong> {FIXED_DELAY_HINT}
        </p>
      )}
    </>
  );
}

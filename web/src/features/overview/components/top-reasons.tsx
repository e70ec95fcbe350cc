import type { Reasons } from '@closewatch/server/api-types';

import { CloseCodeLabel } from '@/components/ui/close-code-label';
import { codeKey } from '@/lib/code-key';
import { formatCount, formatShare, formatCountOf } from '@/lib/format';

interface TopReasonsProps {
  reasons: Reasons;
  windowLabel: string;
  maxCodes?: number;
  maxReasons?: number;
}

/** Reason templates per code: "token expired" x 120 says more than "1008" x 120. */
export function TopReasons({ reasons, windowLabel, maxCodes = 8, maxReasons = 5 }: TopReasonsProps) {
  const codes = [...reasons.codes].filter((c) => c.count > 0).sort((a, b) => b.count - a.count).slice(0, maxCodes);
  if (codes.length === 0) {
    return (
      <p className="empty-hint">
        No closures in the {windowLabel}. Reasons are the text peers send in their close frame; ask your server to
        close with one, e.g. <code>ws.close(4001, &apos;token expired&apos;)</code>.
      </p>
    );
  }
  return (
    <ul className="reasons" data-testid="top-reasons">
      {codes.map((entry) => (
        <li key={codeKey(entry.code)} className="reasons-code" data-testid={`reasons-${codeKey(entry.code)}`}>
          <div className="reasons-code-header">
            <CloseCodeLabel code={entry.code} />
            <span className="muted">{formatCountOf(entry.count, 'closures')}</span>
          </div>
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col" className="num">
                  Closures
                </th>
                <th scope="col" className="num">
                  Of code
                </th>
              </tr>
            </thead>
            <tbody>
              {entry.reasons.slice(0, maxReasons).map((reason) => (
                <tr key={reason.template}>
                  <td className="reason-cell">
                    {reason.template === '' ? <span className="muted">(no reason sent)</span> : <code>{reason.template}</code>}
                    {reason.examples.length > 0 && reason.examples.some((e) => e !== reason.template) && (
                      <details className="reason-examples">
                        <summary>Examples</summary>
                        <ul>
                          {reason.examples.map((example, i) => (
                            <li key={i}>
                              <code>{example}</code>
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </td>
                  <td className="num">{formatCount(reason.count)}</td>
                  <td className="num">{formatShare(entry.count === 0 ? 0 : reason.count / entry.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </li>
      ))}
    </ul>
  );
}

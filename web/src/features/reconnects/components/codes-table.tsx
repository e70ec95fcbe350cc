import type { Reconnects } from '@closewatch/server/api-types';

import { CloseCodeLabel } from '@/components/ui/close-code-label';
import { TableHead } from '@/components/ui/table-head';
import { formatCount, formatShare } from '@/lib/format';
import { codeKey } from '@/lib/code-key';

import { NO_VALUE } from '../lib/reconnect-figures';

/** The headline figures per reconnect-advising code. */
export function CodesTable({ byCode }: { byCode: Reconnects['byCode'] }) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="reconnect-codes">
        <TableHead
          columns={[
            'Code',
            { label: 'Closes', num: true },
            { label: 'Reconnected', num: true },
            { label: 'Not returned', num: true },
            { label: 'Compliant share', num: true },
          ]}
        />
        <tbody>
          {byCode.map((c) => (
            <tr key={codeKey(c.code)} data-testid={`reconnect-code-${codeKey(c.code)}`}>
              <td className="nowrap">
                <CloseCodeLabel code={c.code} />
              </td>
              <td className="num">{formatCount(c.closes)}</td>
              <td className="num">{formatCount(c.reconnected)}</td>
              <td className="num">{formatCount(c.notReturned)}</td>
              <td className="num">{c.compliantShare === null ? NO_VALUE : formatShare(c.compliantShare)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

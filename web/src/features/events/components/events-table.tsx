import type { CloseEventView } from '@closewatch/server/api-types';

import { CloseCodeLabel } from '@/components/ui/close-code-label';
import { formatBytes, formatDuration, formatEventTime } from '@/lib/format';

const DASH = '\u2014';

function bytes(value: number | null): string {
  return value === null ? DASH : formatBytes(value);
}

interface EventsTableProps {
  events: readonly CloseEventView[];
  caption: string;
}

/** Raw close events, one row each; scrolls horizontally on narrow screens. */
export function EventsTable({ events, caption }: EventsTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table events-table" data-testid="events-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Code</th>
            <th scope="col">Reason</th>
            <th scope="col">Initiator</th>
            <th scope="col">Clean</th>
            <th scope="col">Service</th>
            <th scope="col">Instance</th>
            <th scope="col">Route</th>
            <th scope="col" className="num">
              Lifetime
            </th>
            <th scope="col" className="num">
              Bytes in / out
            </th>
            <th scope="col">Labels</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq} data-testid="event-row" data-seq={e.seq} data-code={e.code === null ? 'none' : e.code}>
              <td className="nowrap">
                <time dateTime={new Date(e.ts).toISOString()}>{formatEventTime(e.ts)}</time>
              </td>
              <td className="nowrap">
                <CloseCodeLabel code={e.code} />
              </td>
              <td className="reason-cell">
                {e.reason === '' ? (
                  <span className="muted">(none)</span>
                ) : (
                  <>
                    {e.reason}
                    {e.reasonTruncated && (
                      <span className="muted" title="The sender's reason was longer than the 123-byte wire limit">
                        {' '}
                        (truncated)
                      </span>
                    )}
                  </>
                )}
              </td>
              <td>{e.initiator}</td>
              <td>{e.wasClean ? 'yes' : 'no'}</td>
              <td className="nowrap">{e.service}</td>
              <td className="nowrap">{e.instance}</td>
              <td className="nowrap">{e.route}</td>
              <td className="num nowrap" title={e.durationMs === null ? 'Not reported by the sender' : `${e.durationMs} ms`}>
                {e.durationMs === null ? DASH : formatDuration(e.durationMs)}
              </td>
              <td className="num nowrap">
                {bytes(e.bytesIn)} / {bytes(e.bytesOut)}
              </td>
              <td>
                {Object.entries(e.labels).map(([k, v]) => (
                  <span key={k} className="label-chip">
                    {k}:{v}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

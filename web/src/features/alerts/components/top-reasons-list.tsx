import type { EpisodeView } from '@closewatch/server/api-types';

import { CloseCodeLabel } from '@/components/ui/close-code-label';
import { formatCountOf } from '@/lib/format';

/** The top reasons of a spike, each code with its name. */
export function TopReasonsList({ reasons, max = 3 }: { reasons: EpisodeView['topReasons']; max?: number }) {
  if (reasons.length === 0) return <span className="muted">no reasons recorded</span>;
  return (
    <ul className="compact-list">
      {reasons.slice(0, max).map((r, i) => (
        <li key={i}>
          <CloseCodeLabel code={r.code} /> {r.template === '' ? <em>(no reason)</em> : <q>{r.template}</q>} {"\u00d7"}{' '}
          {formatCountOf(r.count, 'closes')}
        </li>
      ))}
    </ul>
  );
}

import type { MouseEvent } from 'react';

import { formatDateTime } from '@/lib/format';

import { useAlerts } from '../api/get-alerts';
import { describeAlertGroup, formatAlertValue } from '../lib/describe-rule';

const NOW_RANGE = { kind: 'relative', preset: '1h' } as const;

interface AlertBannerProps {
  /** The Alerts page's URL (with the view's query string). */
  href: string;
  onFollow?: (event: MouseEvent<HTMLAnchorElement>) => void;
}

/**
 * The firing alerts, above the overview: nothing when all is quiet. Live alert messages
 * invalidate the query behind it, so it appears and goes without a reload.
 */
export function AlertBanner({ href, onFollow }: AlertBannerProps) {
  const alerts = useAlerts({ range: NOW_RANGE });
  const firing = (alerts.data?.active ?? []).filter((a) => a.state === 'firing');
  if (firing.length === 0) return null;
  const loud = firing.filter((a) => !a.silenced);
  const critical = loud.some((a) => a.severity === 'critical');
  return (
    <section className="alert-banner" role="status" data-testid="alert-banner" data-severity={critical ? 'critical' : 'warning'} data-count={firing.length}>
      <strong>
        {firing.length === 1 ? '1 alert firing' : `${firing.length} alerts firing`}
        {loud.length < firing.length ? ` (${firing.length - loud.length} silenced)` : ''}
      </strong>
      <ul>
        {firing.slice(0, 3).map((a) => (
          <li key={`${a.ruleId}-${describeAlertGroup(a.group)}`} data-testid="banner-alert">
            {a.ruleName} on {describeAlertGroup(a.group)}
            {a.episode !== null && (
              <>
                {' '}
                since {formatDateTime(a.episode.startedAt)}: {formatAlertValue(a.episode.peak, a.episode.rule?.condition)} against a baseline of{' '}
                {formatAlertValue(a.episode.baseline, a.episode.rule?.condition)}
              </>
            )}
            {a.silenced ? ' (silenced)' : ''}
          </li>
        ))}
        {firing.length > 3 && <li>and {firing.length - 3} more</li>}
      </ul>
      <a href={href} onClick={onFollow} className="button button-small" data-testid="banner-link">
        Open Alerts
      </a>
    </section>
  );
}

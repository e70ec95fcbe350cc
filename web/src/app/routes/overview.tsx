import { useEffect, type MouseEvent } from 'react';

import { AlertBanner } from '@/features/alerts/components/alert-banner';

import type { ViewStateUpdate } from '@/features/filters/use-view-state';
import type { ViewState } from '@/features/filters/lib/view-state';
import { Overview } from '@/features/overview/components/overview';

interface RouteProps {
  view: ViewState;
  setView: (update: ViewStateUpdate) => void;
  alertsHref: string;
  onFollowAlerts: (event: MouseEvent<HTMLAnchorElement>) => void;
}

export function OverviewRoute({ view, setView, alertsHref, onFollowAlerts }: RouteProps) {
  useEffect(() => {
    document.title = 'Overview \u00b7 closewatch';
  }, []);
  return (
    <>
      <AlertBanner href={alertsHref} onFollow={onFollowAlerts} />
      <Overview
      view={view}
      onFiltersChange={(update) => setView((v) => ({ ...v, filters: update(v.filters) }))}
      onShowLastWeek={() => setView((v) => ({ ...v, range: { kind: 'relative', preset: '7d' } }))}
      />
    </>
  );
}

import { useEffect } from 'react';

import type { ViewStateUpdate } from '@/features/filters/use-view-state';
import type { ViewState } from '@/features/filters/lib/view-state';
import { Overview } from '@/features/overview/components/overview';

interface RouteProps {
  view: ViewState;
  setView: (update: ViewStateUpdate) => void;
}

export function OverviewRoute({ view, setView }: RouteProps) {
  useEffect(() => {
    document.title = 'Overview \u00b7 closewatch';
  }, []);
  return (
    <Overview
      view={view}
      onFiltersChange={(update) => setView((v) => ({ ...v, filters: update(v.filters) }))}
      onShowLastWeek={() => setView((v) => ({ ...v, range: { kind: 'relative', preset: '7d' } }))}
    />
  );
}

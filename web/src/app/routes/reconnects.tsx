import { useEffect } from 'react';

import type { ViewStateUpdate } from '@/features/filters/use-view-state';
import { EMPTY_FILTERS, type ViewState } from '@/features/filters/lib/view-state';
import { ReconnectsPage } from '@/features/reconnects/components/reconnects-page';

interface RouteProps {
  view: ViewState;
  setView: (update: ViewStateUpdate) => void;
}

export function ReconnectsRoute({ view, setView }: RouteProps) {
  useEffect(() => {
    document.title = 'Reconnects \u00b7 closewatch';
  }, []);
  return (
    <ReconnectsPage
      view={view}
      onClearFilters={() => setView((v) => ({ ...v, filters: EMPTY_FILTERS }))}
      onShowLastWeek={() => setView((v) => ({ ...v, range: { kind: 'relative', preset: '7d' } }))}
    />
  );
}

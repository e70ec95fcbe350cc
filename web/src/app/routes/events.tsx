import { useEffect } from 'react';

import { EventsExplorer } from '@/features/events/components/events-explorer';
import type { ViewStateUpdate } from '@/features/filters/use-view-state';
import { EMPTY_FILTERS, type ViewState } from '@/features/filters/lib/view-state';

interface RouteProps {
  view: ViewState;
  setView: (update: ViewStateUpdate) => void;
}

export function EventsRoute({ view, setView }: RouteProps) {
  useEffect(() => {
    document.title = 'Events \u00b7 closewatch';
  }, []);
  return <EventsExplorer view={view} onClearFilters={() => setView((v) => ({ ...v, filters: EMPTY_FILTERS }))} />;
}

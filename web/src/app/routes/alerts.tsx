import { useEffect } from 'react';

import { AlertsPage } from '@/features/alerts/components/alerts-page';
import type { ViewState } from '@/features/filters/lib/view-state';

export function AlertsRoute({ view }: { view: ViewState }) {
  useEffect(() => {
    document.title = 'Alerts \u00b7 closewatch';
  }, []);
  return <AlertsPage range={view.range} />;
}

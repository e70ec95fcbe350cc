import { useEffect } from 'react';

import { StatusPage } from '@/features/status/components/status-page';

export function StatusRoute() {
  useEffect(() => {
    document.title = 'Status \u00b7 closewatch';
  }, []);
  return <StatusPage />;
}

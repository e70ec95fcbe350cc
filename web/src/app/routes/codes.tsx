import { useEffect } from 'react';

import { CodesPage } from '@/features/codes/components/codes-page';

export function CodesRoute() {
  useEffect(() => {
    document.title = 'Codes \u00b7 closewatch';
  }, []);
  return <CodesPage />;
}

import type { QueryClient } from '@tanstack/react-query';

import { AppShell } from './app-shell';
import { AppProvider } from './provider';

export function App({ queryClient }: { queryClient?: QueryClient }) {
  return (
    <AppProvider {...(queryClient ? { queryClient } : {})}>
      <AppShell />
    </AppProvider>
  );
}

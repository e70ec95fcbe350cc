import type { QueryClient } from '@tanstack/react-query';

import { matchRoute } from '@/config/paths';
import { useSignInRedirect } from '@/features/session/use-sign-in-redirect';
import { usePathname } from '@/lib/location';

import { AppShell } from './app-shell';
import { AppProvider } from './provider';
import { SignInRoute } from './routes/sign-in';

/** The sign-in page stands alone: no filters, no live feed, nothing that reads the API. */
function AppRoutes() {
  const pathname = usePathname();
  useSignInRedirect();
  return matchRoute(pathname) === 'signIn' ? <SignInRoute /> : <AppShell />;
}

export function App({ queryClient }: { queryClient?: QueryClient }) {
  return (
    <AppProvider {...(queryClient ? { queryClient } : {})}>
      <AppRoutes />
    </AppProvider>
  );
}

import { useEffect } from 'react';

import { SignInPage } from '@/features/session/components/sign-in-page';
import { safeNextPath } from '@/features/session/lib/next-path';
import { navigate, useSearch } from '@/lib/location';

/** `/sign-in?next=<path>`: after signing in, the reader lands on `next` (a path of this dashboard only). */
export function SignInRoute() {
  const search = useSearch();
  const next = safeNextPath(new URLSearchParams(search).get('next'));
  useEffect(() => {
    document.title = 'Sign in \u00b7 closewatch';
  }, []);
  return (
    <div className="app app-sign-in">
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          closewatch
        </span>
      </header>
      <main id="main" className="main">
        <SignInPage onSignedIn={() => navigate(next, { replace: true })} />
      </main>
    </div>
  );
}

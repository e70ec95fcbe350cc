import type { MouseEvent } from 'react';

export function NotFoundRoute({ pathname, onHome }: { pathname: string; onHome: (event: MouseEvent<HTMLAnchorElement>) => void }) {
  return (
    <section className="panel empty-state" data-testid="not-found">
      <h2>No page at {pathname}</h2>
      <p>
        The dashboard has three views: <a href="/" onClick={onHome}>the overview</a>, <a href="/events">the events explorer</a> and <a href="/alerts">the alerts</a>.
      </p>
    </section>
  );
}

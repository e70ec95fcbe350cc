import type { MouseEvent } from 'react';

export function NotFoundRoute({ pathname, onHome }: { pathname: string; onHome: (event: MouseEvent<HTMLAnchorElement>) => void }) {
  return (
    <section className="panel empty-state" data-testid="not-found">
      <h2>No page at {pathname}</h2>
      <p>
        The dashboard has two views: <a href="/" onClick={onHome}>the overview</a> and <a href="/events">the events explorer</a>.
      </p>
    </section>
  );
}

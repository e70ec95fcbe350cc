import type { MouseEvent } from 'react';

export function NotFoundRoute({ pathname, onHome }: { pathname: string; onHome: (event: MouseEvent<HTMLAnchorElement>) => void }) {
  return (
    <section className="panel empty-state" data-testid="not-found">
      <h2>No page at {pathname}</h2>
      <p>
        The dashboard&rsquo;s views: <a href="/" onClick={onHome}>the overview</a>, <a href="/reconnects">the reconnects</a>,{' '}
        <a href="/events">the events explorer</a>, <a href="/alerts">the alerts</a> and <a href="/status">the status</a>.
      </p>
    </section>
  );
}

import { matchRoute, ROUTES, type RouteName } from '@/config/paths';
import { useCodeNames } from '@/features/codes/api/get-codes';
import { FilterBar } from '@/features/filters/components/filter-bar';
import { RangePicker } from '@/features/filters/components/range-picker';
import { filtersKey } from '@/features/filters/lib/view-state';
import { useViewState } from '@/features/filters/use-view-state';
import { LiveStatusIndicator } from '@/features/live/components/live-status';
import { SignOutButton } from '@/features/session/components/sign-out-button';
import { ThemeToggle } from '@/features/theme/components/theme-toggle';
import { useTheme } from '@/features/theme/use-theme';
import { collectorLabel } from '@/lib/api-client';
import { CodeNamesContext } from '@/lib/code-names';
import { followInApp, navigate, usePathname, useSearch } from '@/lib/location';

import { AlertsRoute } from './routes/alerts';
import { CodesRoute } from './routes/codes';
import { EventsRoute } from './routes/events';
import { NotFoundRoute } from './routes/not-found';
import { OverviewRoute } from './routes/overview';
import { ReconnectsRoute } from './routes/reconnects';
import { StatusRoute } from './routes/status';
import { useLiveUpdates } from './use-live-updates';

const NAV: Array<{ route: RouteName; label: string }> = [
  { route: 'overview', label: 'Overview' },
  { route: 'reconnects', label: 'Reconnects' },
  { route: 'events', label: 'Events' },
  { route: 'alerts', label: 'Alerts' },
  { route: 'codes', label: 'Codes' },
  { route: 'status', label: 'Status' },
];

export function AppShell() {
  const pathname = usePathname();
  const search = useSearch();
  const [view, setView] = useViewState();
  const [theme, toggleTheme] = useTheme();
  const liveStatus = useLiveUpdates(view);
  const route = matchRoute(pathname);
  const codeNames = useCodeNames();

  // Plain links that work without JS (and with middle-click), upgraded to
  // history navigation that keeps range and filters.
  const follow = (path: string) => followInApp(`${path}${search}`);

  return (
    <CodeNamesContext.Provider value={codeNames}>
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={`${ROUTES.overview}${search}`} onClick={follow(ROUTES.overview)}>
          <span className="brand-mark" aria-hidden="true" />
          closewatch
        </a>
        <nav className="nav" aria-label="Views">
          {NAV.map((item) => (
            <a
              key={item.route}
              href={`${ROUTES[item.route]}${search}`}
              onClick={follow(ROUTES[item.route])}
              aria-current={route === item.route ? 'page' : undefined}
              data-testid={`nav-${item.route}`}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <div className="topbar-end">
          <LiveStatusIndicator status={liveStatus} onToggle={() => setView((v) => ({ ...v, live: !v.live }))} />
          <ThemeToggle theme={theme} onToggle={toggleTheme} />
          <SignOutButton onSignedOut={() => navigate(ROUTES.signIn)} />
        </div>
      </header>
      {/* Range and filters belong to the views of closes; the status page has its own windows. */}
      {route !== 'status' && route !== 'codes' && (
      <div className="toolbar">
        <RangePicker range={view.range} onChange={(range) => setView((v) => ({ ...v, range }))} />
        {/* Alerts are not filtered by service or code; the range picks the history's window. */}
        {route !== 'alerts' && (
          <FilterBar
            key={filtersKey(view.filters)}
            filters={view.filters}
            onChange={(filters) => setView((v) => ({ ...v, filters }))}
          />
        )}
      </div>
      )}
      <main id="main" className="main">
        {route === 'overview' && (
          <OverviewRoute view={view} setView={setView} alertsHref={`${ROUTES.alerts}${search}`} onFollowAlerts={follow(ROUTES.alerts)} />
        )}
        {route === 'reconnects' && <ReconnectsRoute view={view} setView={setView} />}
        {route === 'alerts' && <AlertsRoute view={view} />}
        {route === 'events' && <EventsRoute view={view} setView={setView} />}
        {route === 'status' && <StatusRoute />}
        {route === 'codes' && <CodesRoute />}
        {route === null && <NotFoundRoute pathname={pathname} onHome={follow(ROUTES.overview)} />}
      </main>
      <footer className="footer">
        Collector: <code>{collectorLabel()}</code> · close-code names from the IANA registry and your own (Codes)
      </footer>
    </div>
    </CodeNamesContext.Provider>
  );
}

/**
 * The browser location as a React store. There is no router library: two views and a
 * query string do not need one, and the History API keeps back/forward working.
 */
import { useSyncExternalStore, type MouseEvent } from 'react';

// pushState/replaceState fire no event; this one lets every subscriber re-read.
const CHANGE_EVENT = 'closewatch:locationchange';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

/** Changes the URL; `replace` for state tweaks (filters), push for moving between views. */
export function navigate(url: string, options: { replace?: boolean } = {}): void {
  const current = window.location.pathname + window.location.search;
  if (url === current) return;
  if (options.replace) window.history.replaceState(window.history.state, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

/**
 * The click handler of an in-app link: a plain left click moves with history navigation
 * (no reload, filters kept); a modified or middle click is left to the browser, so the
 * link still opens in a new tab. The link's `href` must be `url` for that to work.
 */
export function followInApp(url: string, after?: () => void): (event: MouseEvent<HTMLAnchorElement>) => void {
  return (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(url);
    window.scrollTo?.(0, 0);
    after?.();
  };
}

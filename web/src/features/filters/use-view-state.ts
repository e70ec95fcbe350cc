import { useCallback, useMemo } from 'react';

import { navigate, useSearch } from '@/lib/location';

import { parseViewState, serializeViewState, type ViewState } from './lib/view-state';

export type ViewStateUpdate = (previous: ViewState) => ViewState;

/** The view state read from the URL, and a setter that writes it back (replaceState). */
export function useViewState(): [ViewState, (update: ViewStateUpdate) => void] {
  const search = useSearch();
  const state = useMemo(() => parseViewState(search), [search]);
  const setState = useCallback((update: ViewStateUpdate) => {
    const next = update(parseViewState(window.location.search));
    navigate(`${window.location.pathname}?${serializeViewState(next)}`, { replace: true });
  }, []);
  return [state, setState];
}

/** Link target for another view that keeps the current range and filters. */
export function hrefWithView(pathname: string, search: string): string {
  return search === '' || search === '?' ? pathname : `${pathname}${search.startsWith('?') ? search : `?${search}`}`;
}

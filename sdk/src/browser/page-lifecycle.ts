/**
 * Page-hide detection. `visibilitychange` to hidden is the last event a page reliably
 * gets on mobile (the tab may be killed without `pagehide`); `pagehide` covers
 * navigation and bfcache on desktop. Both call the same handler; it runs twice at most
 * and sending twice is harmless (the second finds the queue empty).
 */
interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** Calls `onHidden` whenever the page is hidden or unloaded; returns the remover. */
export function onPageHidden(onHidden: () => void): () => void {
  const win = (typeof window === 'undefined' ? undefined : window) as EventTargetLike | undefined;
  const doc = (typeof document === 'undefined' ? undefined : document) as
    | (EventTargetLike & { visibilityState?: string })
    | undefined;
  const onVisibility = (): void => {
    if (doc?.visibilityState === 'hidden') onHidden();
  };
  win?.addEventListener('pagehide', onHidden);
  doc?.addEventListener('visibilitychange', onVisibility);
  return () => {
    win?.removeEventListener('pagehide', onHidden);
    doc?.removeEventListener('visibilitychange', onVisibility);
  };
}

import type { ReactNode } from 'react';

import { ErrorMessage } from './error-message';
import { Loading } from './loading';

/** The part of a (infinite) query result this view reads. */
export interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isError: boolean;
  isPlaceholderData: boolean;
  refetch: () => unknown;
}

interface QueryViewProps<T> {
  query: QueryLike<T>;
  /** What is loading, in words: `the summary`. */
  what: string;
  /** Whether the (placeholder) data may be shown for this view at all. */
  accept?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}

/**
 * Loading, error and data states of one query, the same way everywhere. Data from the
 * previous filters stays on screen (dimmed) while the new data loads, and a failed
 * refresh keeps the last good numbers with a warning instead of blanking the panel.
 */
export function QueryView<T>({ query, what, accept, children }: QueryViewProps<T>) {
  const data = query.data !== undefined && (!accept || accept(query.data)) ? query.data : undefined;
  if (data === undefined) {
    if (query.isError) return <ErrorMessage error={query.error} what={what} onRetry={() => void query.refetch()} />;
    return <Loading label={`Loading ${what}`} />;
  }
  return (
    <div className={query.isPlaceholderData ? 'is-stale' : undefined} aria-busy={query.isPlaceholderData}>
      {query.isError && (
        <p className="stale-warning" role="status">
          Refreshing {what} failed ({query.error instanceof Error ? query.error.message : String(query.error)}); showing
          the last data.
        </p>
      )}
      {children(data)}
    </div>
  );
}

import { errorHint } from '@/lib/api-client';

interface ErrorMessageProps {
  error: unknown;
  /** What failed to load, e.g. `the summary`. */
  what?: string;
  onRetry?: () => void;
}

/** Says what went wrong and what to do about it; never a bare "Something went wrong". */
export function ErrorMessage({ error, what, onRetry }: ErrorMessageProps) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error-message" role="alert">
      <p className="error-title">{what ? `Could not load ${what}: ${message}` : message}</p>
      <p className="error-hint">{errorHint(error)}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

import { ApiError, changeErrorHint } from '@/lib/api-client';

interface ActionErrorProps {
  error: unknown;
  /** What was tried, e.g. `save the rule`. */
  action: string;
  testId?: string;
}

/** A refused change: the collector's `{ error: { code, message } }` in words, and what to do. */
export function ActionError({ error, action, testId }: ActionErrorProps) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError && !/^HTTP_|^UNREACHABLE$/.test(error.code) ? ` (${error.code})` : '';
  return (
    <div className="error-message" role="alert" data-testid={testId}>
      <p className="error-title">
        Could not {action}: {message}
        {code}
      </p>
      <p className="error-hint">{changeErrorHint(error)}</p>
    </div>
  );
}

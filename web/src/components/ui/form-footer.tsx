import { ActionError } from './action-error';

interface FormFooterProps {
  /** What the form itself found wrong, in words; null when nothing. */
  problem: string | null;
  /** The collector's refusal of the change, if any. */
  error: unknown;
  /** What the submit does, for the error line: `create the silence`. */
  action: string;
  submitLabel: string;
  pending: boolean;
  onCancel: () => void;
  testId: string;
}

/** The end of a create form: its problem, the collector's refusal, submit and cancel. */
export function FormFooter({ problem, error, action, submitLabel, pending, onCancel, testId }: FormFooterProps) {
  return (
    <>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {error !== null && error !== undefined && <ActionError error={error} action={action} />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending} data-testid={testId}>
          {submitLabel}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

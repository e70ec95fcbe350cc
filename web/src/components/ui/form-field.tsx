import { useId, type ReactNode } from 'react';

/** What a field's control needs to be labelled and to announce its hint and error. */
export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

interface FormFieldProps {
  label: string;
  /** A short line under the control: the unit, an example, what empty means. */
  hint?: string | undefined;
  /** What is wrong with the value, in words. */
  error?: string | undefined;
  /** Tests find the error line by this. */
  name?: string;
  className?: string;
  children: (props: FieldControlProps) => ReactNode;
}

/** A labelled control with its hint and error, wired for screen readers. */
export function FormField({ label, hint, error, name, className, children }: FormFieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`form-field${className ? ` ${className}` : ''}`} data-field={name}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': described })}
      {hint && (
        <span className="form-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="form-error" id={`${id}-error`} data-testid={name ? `field-error-${name}` : undefined}>
          {error}
        </span>
      )}
    </div>
  );
}

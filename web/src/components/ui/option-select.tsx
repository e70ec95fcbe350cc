import type { FieldControlProps } from './form-field';

export interface SelectOption<T extends string | number> {
  value: T;
  label: string;
}

interface OptionSelectProps<T extends string | number> extends Partial<FieldControlProps> {
  options: ReadonlyArray<SelectOption<T>>;
  value: T;
  onChange: (value: T) => void;
  testId?: string;
}

/** A select over typed options: the chosen option's own value comes back, not its string. */
export function OptionSelect<T extends string | number>({ options, value, onChange, testId, ...control }: OptionSelectProps<T>) {
  return (
    <select
      {...control}
      value={String(value)}
      onChange={(e) => {
        const chosen = options.find((o) => String(o.value) === e.currentTarget.value);
        if (chosen !== undefined) onChange(chosen.value);
      }}
      data-testid={testId}
    >
      {options.map((o) => (
        <option key={String(o.value)} value={String(o.value)}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

import { useId, useState, type FormEvent } from 'react';

import { toDateTimeLocal } from '@/lib/format';

import { PRESET_LABELS, RANGE_PRESETS, rangeKey, resolveRange, type TimeRange } from '../lib/view-state';

interface RangePickerProps {
  range: TimeRange;
  onChange: (range: TimeRange) => void;
}

/** `datetime-local` values are local wall-clock time without a zone. */
function parseLocal(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** Presets for the common windows, and a custom from/to for incident post-mortems. */
export function RangePicker({ range, onChange }: RangePickerProps) {
  const [custom, setCustom] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const current = resolveRange(range, Date.now());
  const showCustom = custom || range.kind === 'absolute';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = parseLocal(String(form.get('from') ?? ''));
    const to = parseLocal(String(form.get('to') ?? ''));
    if (from === null || to === null) return setError('Enter both dates, e.g. 2026-11-26 10:00.');
    if (from >= to) return setError('"From" must be before "to".');
    setError(null);
    onChange({ kind: 'absolute', from, to });
  };

  return (
    <div className="range-picker" data-testid="range-picker">
      <div className="segmented" role="group" aria-label="Time range">
        {RANGE_PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            className="segment"
            data-range={preset}
            aria-pressed={range.kind === 'relative' && range.preset === preset && !custom}
            onClick={() => {
              setCustom(false);
              setError(null);
              onChange({ kind: 'relative', preset });
            }}
            title={`Last ${PRESET_LABELS[preset]}, sliding with the clock`}
          >
            {PRESET_LABELS[preset]}
          </button>
        ))}
        <button
          type="button"
          className="segment"
          data-range="custom"
          aria-pressed={showCustom}
          aria-expanded={showCustom}
          aria-controls={`${id}-custom`}
          onClick={() => setCustom((c) => !c)}
        >
          Custom
        </button>
      </div>
      {showCustom && (
        <form
          id={`${id}-custom`}
          className="custom-range"
          onSubmit={submit}
          // Keyed on the range, not on the clock: a re-render (a live tick) must not
          // reset what the reader is typing.
          key={rangeKey(range)}
          noValidate
        >
          <label>
            From
            <input type="datetime-local" name="from" defaultValue={toDateTimeLocal(current.from)} required />
          </label>
          <label>
            To
            <input type="datetime-local" name="to" defaultValue={toDateTimeLocal(current.to)} required />
          </label>
          <button type="submit" className="button">
            Apply range
          </button>
          {error && (
            <span className="error-inline" role="alert">
              {error}
            </span>
          )}
        </form>
      )}
    </div>
  );
}

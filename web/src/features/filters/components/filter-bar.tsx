import { CATEGORY_LABELS, CLOSE_CATEGORIES, formatCloseCode, isCloseCategory, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import { useState, type FormEvent } from 'react';

import { useCustomCodeNames } from '@/lib/code-names';

import {
  EMPTY_FILTERS,
  INITIATORS,
  formatCodeList,
  hasFilters,
  parseCodeList,
  parseLabel,
  type Filters,
} from '../lib/view-state';

interface FilterBarProps {
  filters: Filters;
  onChange: (filters: Filters) => void;
}

function text(value: FormDataEntryValue | null): string | null {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed === '' ? null : trimmed;
}

interface Chip {
  key: string;
  label: string;
  without: Filters;
}

function activeChips(filters: Filters, names: CustomCloseCodes): Chip[] {
  const chips: Chip[] = [];
  if (filters.service) chips.push({ key: 'service', label: `service: ${filters.service}`, without: { ...filters, service: null } });
  if (filters.route) chips.push({ key: 'route', label: `route: ${filters.route}`, without: { ...filters, route: null } });
  if (filters.instance) chips.push({ key: 'instance', label: `instance: ${filters.instance}`, without: { ...filters, instance: null } });
  for (const code of filters.codes) {
    chips.push({
      key: `code-${String(code)}`,
      label: formatCloseCode(code, names),
      without: { ...filters, codes: filters.codes.filter((c) => c !== code) },
    });
  }
  if (filters.category) {
    chips.push({ key: 'category', label: `category: ${CATEGORY_LABELS[filters.category]}`, without: { ...filters, category: null } });
  }
  if (filters.initiator) chips.push({ key: 'initiator', label: `closed by: ${filters.initiator}`, without: { ...filters, initiator: null } });
  if (filters.label) {
    chips.push({ key: 'label', label: `label ${filters.label.key}:${filters.label.value}`, without: { ...filters, label: null } });
  }
  return chips;
}

/**
 * Filters shared by every view. Text fields apply on Enter or "Apply"; the selects
 * apply at once. The parent remounts this form when the filters change elsewhere
 * (a click in a table, back/forward), so the fields always show the URL's state.
 */
export function FilterBar({ filters, onChange }: FilterBarProps) {
  const [errors, setErrors] = useState<{ code?: string; label?: string }>({});

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const codes = parseCodeList(String(form.get('code') ?? ''));
    const labelText = text(form.get('label'));
    const label = parseLabel(labelText);
    const next: { code?: string; label?: string } = {};
    if (codes.invalid.length > 0) {
      next.code = `Not a close code: ${codes.invalid.join(', ')}. Use integers 0-65535 or "none".`;
    }
    if (labelText !== null && label === null) next.label = 'Use key:value, e.g. region:eu-west-1.';
    setErrors(next);
    if (next.code || next.label) return;
    const category = text(form.get('category'));
    const initiator = text(form.get('initiator'));
    onChange({
      service: text(form.get('service')),
      route: text(form.get('route')),
      instance: text(form.get('instance')),
      codes: codes.codes,
      category: isCloseCategory(category) ? category : null,
      initiator: INITIATORS.find((i) => i === initiator) ?? null,
      label,
    });
  };

  const chips = activeChips(filters, useCustomCodeNames());
  return (
    <div className="filters">
      <form className="filter-bar" onSubmit={submit} aria-label="Filters" data-testid="filter-bar" noValidate>
        <label>
          Service
          <input name="service" defaultValue={filters.service ?? ''} placeholder="any" autoComplete="off" />
        </label>
        <label>
          Route
          <input name="route" defaultValue={filters.route ?? ''} placeholder="any, e.g. /ws" autoComplete="off" />
        </label>
        <label>
          Instance
          <input name="instance" defaultValue={filters.instance ?? ''} placeholder="any" autoComplete="off" />
        </label>
        <label>
          Codes
          <input
            name="code"
            defaultValue={formatCodeList(filters.codes)}
            placeholder="any, e.g. 1006,1011,none"
            autoComplete="off"
            aria-invalid={errors.code ? true : undefined}
          />
        </label>
        <label>
          Category
          <select
            name="category"
            defaultValue={filters.category ?? ''}
            onChange={(e) => e.currentTarget.form?.requestSubmit()}
          >
            <option value="">any</option>
            {CLOSE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Closed by
          <select
            name="initiator"
            defaultValue={filters.initiator ?? ''}
            onChange={(e) => e.currentTarget.form?.requestSubmit()}
          >
            <option value="">anyone</option>
            {INITIATORS.map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
        <label>
          Label
          <input
            name="label"
            defaultValue={filters.label ? `${filters.label.key}:${filters.label.value}` : ''}
            placeholder="key:value"
            autoComplete="off"
            aria-invalid={errors.label ? true : undefined}
          />
        </label>
        <div className="filter-actions">
          <button type="submit" className="button button-primary">
            Apply
          </button>
          {hasFilters(filters) && (
            <button type="button" className="button" onClick={() => onChange(EMPTY_FILTERS)}>
              Clear
            </button>
          )}
        </div>
        {(errors.code || errors.label) && (
          <p className="error-inline filter-errors" role="alert">
            {errors.code} {errors.label}
          </p>
        )}
      </form>
      {chips.length > 0 && (
        <ul className="chips" aria-label="Active filters">
          {chips.map((chip) => (
            <li key={chip.key}>
              <button
                type="button"
                className="chip"
                onClick={() => onChange(chip.without)}
                aria-label={`Remove filter ${chip.label}`}
              >
                {chip.label} <span aria-hidden="true">{'\u00d7'}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

import { CLOSE_CATEGORIES, RECONNECT_ADVISING_CODES, type CloseCategory } from '@closewatch/sdk/close-codes';
import type { AlertGroupBy, AlertRule, Condition, RuleInput, Selector, Severity } from '@closewatch/server/api-types';

import { formatCodeList, parseCodeList } from '@/features/filters/lib/view-state';

/**
 * The rule editor's state: every field as the person typed it (strings), so a half
 * typed number is not lost or coerced; `validateRuleForm` turns it into the API's
 * RuleInput or says what is wrong with each field.
 */
export interface RuleForm {
  name: string;
  enabled: boolean;
  watch: 'codes' | 'category';
  codes: string;
  category: CloseCategory;
  service: string;
  route: string;
  instance: string;
  /** `key=value`. */
  label: string;
  conditionType: Condition['type'];
  measure: 'count' | 'rate';
  windowMinutes: string;
  /** threshold: closes (count) or closes/min (rate). */
  above: string;
  /** ratio: percent of all closes. */
  ratioPercent: string;
  minCount: string;
  zScore: string;
  /** anomaly: percent of the minute's closes. */
  minRatioPercent: string;
  /** reconnect storm: times the normal connection rate. */
  stormTimes: string;
  /** reconnect storm: reconnects per second a peak needs. */
  minPerSecond: string;
  forMinutes: string;
  keepFiringForMinutes: string;
  severity: Severity;
  groupBy: AlertGroupBy;
  /** Empty: no repeat. */
  repeatMinutes: string;
  /** Kept as it was: the editor does not choose targets (null = every enabled target). */
  targetIds: string[] | null;
}

export type RuleFormField = keyof RuleForm;
export type RuleFormErrors = Partial<Record<RuleFormField, string>>;

export const SEVERITY_OPTIONS: readonly Severity[] = ['critical', 'warning', 'info'];
export const GROUP_BY_OPTIONS: ReadonlyArray<{ value: AlertGroupBy; label: string }> = [
  { value: 'service', label: 'per service' },
  { value: 'route', label: 'per service and route' },
  { value: 'none', label: 'one alert for everything' },
];

const MINUTE = 60_000;

/** A new rule: the defaults of the collector (for 3 min, keep firing 5 min, per service) on an anomaly of 1011. */
export const NEW_RULE_FORM: RuleForm = {
  name: '',
  enabled: true,
  watch: 'codes',
  codes: '1011',
  category: 'server-error',
  service: '',
  route: '',
  instance: '',
  label: '',
  conditionType: 'anomaly',
  measure: 'count',
  windowMinutes: '5',
  above: '10',
  ratioPercent: '5',
  minCount: '5',
  zScore: '3.5',
  minRatioPercent: '2',
  stormTimes: '10',
  minPerSecond: '5',
  forMinutes: '3',
  keepFiringForMinutes: '5',
  severity: 'warning',
  groupBy: 'service',
  repeatMinutes: '',
  targetIds: null,
};

/** Short decimals without float noise: 0.35 * 100 -> "35", not "35.00000000000001". */
function numberText(value: number): string {
  return String(Number(value.toFixed(6)));
}

/** The form of a saved rule (or of the rule as an episode recorded it). */
export function ruleToForm(rule: AlertRule): RuleForm {
  const { selector, condition } = rule;
  const form: RuleForm = {
    ...NEW_RULE_FORM,
    name: rule.name,
    enabled: rule.enabled,
    watch: selector.codes !== undefined ? 'codes' : 'category',
    codes: selector.codes !== undefined ? formatCodeList(selector.codes).replace(/,/g, ', ') : NEW_RULE_FORM.codes,
    category: selector.category ?? NEW_RULE_FORM.category,
    service: selector.service ?? '',
    route: selector.route ?? '',
    instance: selector.instance ?? '',
    label: selector.label === undefined ? '' : `${selector.label.key}=${selector.label.value}`,
    conditionType: condition.type,
    forMinutes: numberText(rule.forMs / MINUTE),
    keepFiringForMinutes: numberText(rule.keepFiringForMs / MINUTE),
    severity: rule.severity,
    groupBy: rule.groupBy,
    repeatMinutes: rule.repeatIntervalMs === null ? '' : numberText(rule.repeatIntervalMs / MINUTE),
    targetIds: rule.targetIds,
  };
  if (condition.type === 'threshold') {
    Object.assign(form, { measure: condition.measure, windowMinutes: String(condition.windowMinutes), above: numberText(condition.above) });
  } else if (condition.type === 'ratio') {
    Object.assign(form, { ratioPercent: numberText(condition.above * 100), windowMinutes: String(condition.windowMinutes), minCount: String(condition.minCount) });
  } else if (condition.type === 'reconnect-storm') {
    Object.assign(form, { stormTimes: numberText(condition.above), windowMinutes: String(condition.windowMinutes), minPerSecond: String(condition.minPerSecond) });
  } else {
    Object.assign(form, { zScore: numberText(condition.zScore), minCount: String(condition.minCount), minRatioPercent: numberText(condition.minRatio * 100) });
  }
  return form;
}

type NumberCheck = { min: number; max?: number; integer?: boolean; unit: string };

function readNumber(text: string, check: NumberCheck): number | string {
  const trimmed = text.trim();
  if (trimmed === '') return `required (${check.unit})`;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return `"${trimmed}" is not a number`;
  if (check.integer && !Number.isInteger(value)) return `must be a whole number of ${check.unit}`;
  if (value < check.min) return `must be at least ${check.min} ${check.unit}`;
  if (check.max !== undefined && value > check.max) return `must be at most ${check.max} ${check.unit}`;
  return value;
}

export type RuleFormResult = { ok: true; input: RuleInput } | { ok: false; errors: RuleFormErrors };

/**
 * The API's RuleInput for a form, or the problem of each field in words. Checks what
 * the collector checks (so the person learns before saving), with the unit of each field.
 */
export function validateRuleForm(form: RuleForm): RuleFormResult {
  const errors: RuleFormErrors = {};
  const num = (field: RuleFormField, check: NumberCheck): number => {
    const value = readNumber(String(form[field]), check);
    if (typeof value === 'string') {
      errors[field] = value;
      return 0;
    }
    return value;
  };

  const name = form.name.trim();
  if (name === '') errors.name = 'give the rule a name, for example "Error spike on chat"';
  else if (name.length > 120) errors.name = 'at most 120 characters';

  const selector: Selector = {};
  if (form.watch === 'codes') {
    const { codes, invalid } = parseCodeList(form.codes);
    if (invalid.length > 0) errors.codes = `not close codes: ${invalid.join(', ')} (write codes 0-65535 or "none", comma separated)`;
    else if (codes.length === 0) errors.codes = 'give at least one code, for example 1011';
    else if (codes.length > 50) errors.codes = 'at most 50 codes';
    else selector.codes = codes;
  } else {
    if (!(CLOSE_CATEGORIES as readonly string[]).includes(form.category)) errors.category = 'choose a category';
    else selector.category = form.category;
  }
  const service = form.service.trim();
  if (service !== '') selector.service = service;
  const route = form.route.trim();
  if (route !== '') selector.route = route;
  const instance = form.instance.trim();
  if (instance !== '') selector.instance = instance;
  const label = form.label.trim();
  if (label !== '') {
    const at = label.indexOf('=');
    const key = at < 0 ? '' : label.slice(0, at).trim();
    if (key === '') errors.label = 'write the label as key=value, for example region=eu-west';
    else selector.label = { key, value: label.slice(at + 1).trim() };
  }

  let condition: Condition;
  if (form.conditionType === 'threshold') {
    condition = {
      type: 'threshold',
      measure: form.measure,
      windowMinutes: num('windowMinutes', { min: 1, max: 60, integer: true, unit: 'minutes' }),
      above: num('above', { min: 0, unit: form.measure === 'rate' ? 'closes/min' : 'closes' }),
    };
  } else if (form.conditionType === 'ratio') {
    condition = {
      type: 'ratio',
      above: num('ratioPercent', { min: 0, max: 100, unit: '%' }) / 100,
      windowMinutes: num('windowMinutes', { min: 1, max: 60, integer: true, unit: 'minutes' }),
      minCount: num('minCount', { min: 1, integer: true, unit: 'closes' }),
    };
  } else if (form.conditionType === 'reconnect-storm') {
    condition = {
      type: 'reconnect-storm',
      above: num('stormTimes', { min: 1, max: 100_000, unit: 'times the normal rate' }),
      windowMinutes: num('windowMinutes', { min: 1, max: 60, integer: true, unit: 'minutes' }),
      minPerSecond: num('minPerSecond', { min: 1, integer: true, unit: 'reconnects/s' }),
    };
    const advising = RECONNECT_ADVISING_CODES.map(String);
    if (form.watch !== 'codes' || form.codes.split(',').some((c) => !advising.includes(c.trim()))) {
      errors.codes ??= `a reconnect storm follows the closes that advise a reconnect: give some of ${advising.join(', ')}`;
    }
    if (form.groupBy === 'route') errors.groupBy ??= 'a reconnect storm is watched per service or for everything';
  } else {
    condition = {
      type: 'anomaly',
      zScore: num('zScore', { min: 1, max: 100, unit: '(robust z-score)' }),
      minCount: num('minCount', { min: 1, integer: true, unit: 'closes' }),
      minRatio: num('minRatioPercent', { min: 0, max: 100, unit: '%' }) / 100,
    };
  }

  const dayMinutes = 24 * 60;
  const forMs = Math.round(num('forMinutes', { min: 0, max: dayMinutes, unit: 'minutes' }) * MINUTE);
  const keepFiringForMs = Math.round(num('keepFiringForMinutes', { min: 0, max: dayMinutes, unit: 'minutes' }) * MINUTE);
  let repeatIntervalMs: number | null = null;
  if (form.repeatMinutes.trim() !== '') repeatIntervalMs = Math.round(num('repeatMinutes', { min: 1, max: 7 * dayMinutes, unit: 'minutes' }) * MINUTE);

  if (form.groupBy === 'route' && selector.route !== undefined && errors.groupBy === undefined) {
    errors.groupBy = 'the rule already watches one route: group per service or one alert for everything';
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name,
      enabled: form.enabled,
      selector,
      condition,
      forMs,
      keepFiringForMs,
      severity: form.severity,
      groupBy: form.groupBy,
      repeatIntervalMs,
      targetIds: form.targetIds,
    },
  };
}

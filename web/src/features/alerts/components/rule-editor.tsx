import { CATEGORY_LABELS, CLOSE_CATEGORIES, RECONNECT_ADVISING_CODES, type CloseCategory } from '@closewatch/sdk/close-codes';
import type { AlertRule, Condition, RuleInput } from '@closewatch/server/api-types';
import { useId, useState, type FormEvent, type ReactNode } from 'react';

import { ActionError } from '@/components/ui/action-error';
import { FormField, type FieldControlProps } from '@/components/ui/form-field';
import { OptionSelect } from '@/components/ui/option-select';

import { useBacktestAlertRule } from '../api/backtest-alert-rule';
import { useSaveAlertRule } from '../api/save-alert-rule';
import {
  GROUP_BY_OPTIONS,
  NEW_RULE_FORM,
  SEVERITY_OPTIONS,
  ruleToForm,
  validateRuleForm,
  type RuleForm,
  type RuleFormErrors,
  type RuleFormField,
} from '../lib/rule-form';
import { BacktestResult } from './backtest-result';

const CONDITION_OPTIONS: ReadonlyArray<{ value: Condition['type']; label: string }> = [
  { value: 'anomaly', label: 'anomaly against the last 60 min' },
  { value: 'threshold', label: 'count or rate above a threshold' },
  { value: 'ratio', label: 'share of all closes above a ratio' },
  { value: 'reconnect-storm', label: 'reconnect storm after 1001/1012/1013' },
];

/** The range a backtest covers: the last 24 h (the label below says so). */
export const BACKTEST_MS = 24 * 3_600_000;

interface FieldProps {
  field: RuleFormField;
  label: string;
  hint?: string;
  errors: RuleFormErrors;
  children: (props: FieldControlProps) => ReactNode;
}

function Field({ field, label, hint, errors, children }: FieldProps) {
  return (
    <FormField label={label} hint={hint} error={errors[field]} name={field}>
      {children}
    </FormField>
  );
}

interface RuleEditorProps {
  /** The rule to edit; null makes a new one. */
  rule: AlertRule | null;
  onDone: () => void;
}

/**
 * Creates or edits a rule: what it watches, when it fires, how long it must hold and
 * how it groups. "Backtest" shows what the rule (as typed, unsaved) would have done over
 * the last 24 h before anything is saved.
 */
export function RuleEditor({ rule, onDone }: RuleEditorProps) {
  const [form, setForm] = useState<RuleForm>(() => (rule === null ? NEW_RULE_FORM : ruleToForm(rule)));
  const [errors, setErrors] = useState<RuleFormErrors>({});
  const [tested, setTested] = useState<RuleInput | null>(null);
  const save = useSaveAlertRule({ onSuccess: onDone });
  const backtest = useBacktestAlertRule();
  const titleId = useId();

  // A storm follows the reconnect-advising closes; start it on those, firing at once.
  const chooseCondition = (type: Condition['type']): void => {
    set('conditionType', type);
    if (type === 'reconnect-storm' && form.watch === 'codes' && form.codes === NEW_RULE_FORM.codes) {
      setForm((f) => ({ ...f, codes: RECONNECT_ADVISING_CODES.join(', '), forMinutes: '0' }));
    }
  };
  const set = <K extends RuleFormField>(field: K, value: RuleForm[K]) => {
    setForm((f) => ({ ...f, [field]: value }));
    setErrors((e) => {
      if (e[field] === undefined) return e;
      const next = { ...e };
      delete next[field];
      return next;
    });
  };
  const text = (field: RuleFormField) => ({
    value: String(form[field] ?? ''),
    onChange: (event: { currentTarget: { value: string } }) => set(field, event.currentTarget.value as never),
  });

  const checked = (): RuleInput | null => {
    const result = validateRuleForm(form);
    if (!result.ok) {
      setErrors(result.errors);
      return null;
    }
    setErrors({});
    return result.input;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = checked();
    if (input !== null) save.mutate({ id: rule?.id ?? null, input });
  };

  const runBacktest = () => {
    const input = checked();
    if (input === null) return;
    const to = Date.now();
    setTested(input);
    backtest.mutate({ rule: input, from: to - BACKTEST_MS, to });
  };

  const type: Condition['type'] = form.conditionType;
  const errorCount = Object.keys(errors).length;
  return (
    <section className="panel rule-editor" aria-labelledby={titleId} data-testid="rule-editor">
      <h3 id={titleId} className="panel-title">
        {rule === null ? 'New alert rule' : `Edit rule \u201c${rule.name}\u201d`}
      </h3>
      <form onSubmit={submit} noValidate>
        <fieldset className="form-group">
          <legend>Rule</legend>
          <Field field="name" label="Name" errors={errors}>
            {(p) => <input {...p} {...text('name')} maxLength={120} data-testid="rule-name" />}
          </Field>
          <Field field="severity" label="Severity" errors={errors}>
            {(p) => <OptionSelect {...p} options={SEVERITY_OPTIONS.map((s) => ({ value: s, label: s }))} value={form.severity} onChange={(v) => set('severity', v)} testId="rule-severity" />}
          </Field>
          <label className="form-check">
            <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} data-testid="rule-enabled" />
            Enabled
          </label>
        </fieldset>

        <fieldset className="form-group">
          <legend>Watch</legend>
          <Field field="watch" label="Closes with" errors={errors}>
            {(p) => <OptionSelect {...p} options={[{ value: 'codes', label: 'these codes' }, { value: 'category', label: 'a category' }] as const} value={form.watch} onChange={(v) => set('watch', v)} testId="rule-watch" />}
          </Field>
          {form.watch === 'codes' ? (
            <Field field="codes" label="Codes" hint="comma separated, e.g. 1011, 1013; none = no code received" errors={errors}>
              {(p) => <input {...p} {...text('codes')} data-testid="rule-codes" />}
            </Field>
          ) : (
            <Field field="category" label="Category" errors={errors}>
              {(p) => <OptionSelect {...p} options={CLOSE_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))} value={form.category} onChange={(v) => set('category', v)} testId="rule-category" />}
            </Field>
          )}
          <Field field="service" label="Service" hint="empty: every service" errors={errors}>
            {(p) => <input {...p} {...text('service')} data-testid="rule-service" />}
          </Field>
          <Field field="route" label="Route" hint="empty: every route" errors={errors}>
            {(p) => <input {...p} {...text('route')} data-testid="rule-route" />}
          </Field>
          <Field field="label" label="Label" hint="key=value, e.g. region=eu-west; empty: any" errors={errors}>
            {(p) => <input {...p} {...text('label')} data-testid="rule-label" />}
          </Field>
        </fieldset>

        <fieldset className="form-group">
          <legend>Fire when</legend>
          <Field field="conditionType" label="Condition" errors={errors}>
            {(p) => <OptionSelect {...p} options={CONDITION_OPTIONS} value={type} onChange={(v) => chooseCondition(v)} testId="rule-condition" />}
          </Field>
          {type === 'threshold' && (
            <>
              <Field field="measure" label="Measure" errors={errors}>
                {(p) => <OptionSelect {...p} options={[{ value: 'count', label: 'closes in the window' }, { value: 'rate', label: 'closes per minute' }] as const} value={form.measure} onChange={(v) => set('measure', v)} testId="rule-measure" />}
              </Field>
              <Field field="above" label={form.measure === 'rate' ? 'Above (closes/min)' : 'Above (closes)'} errors={errors}>
                {(p) => <input {...p} {...text('above')} inputMode="decimal" data-testid="rule-above" />}
              </Field>
            </>
          )}
          {type === 'ratio' && (
            <Field field="ratioPercent" label="Above (% of all closes)" errors={errors}>
              {(p) => <input {...p} {...text('ratioPercent')} inputMode="decimal" data-testid="rule-ratio" />}
            </Field>
          )}
          {type === 'reconnect-storm' && (
            <>
              <Field field="stormTimes" label="Above (times the normal connection rate)" hint="reconnects opened in one second against the connections per second of the last hour" errors={errors}>
                {(p) => <input {...p} {...text('stormTimes')} inputMode="decimal" data-testid="rule-storm-times" />}
              </Field>
              <Field field="minPerSecond" label="Minimum reconnects per second" hint="a quiet service's few clients never fire" errors={errors}>
                {(p) => <input {...p} {...text('minPerSecond')} inputMode="numeric" data-testid="rule-min-per-second" />}
              </Field>
            </>
          )}
          {type === 'anomaly' && (
            <Field field="zScore" label="Robust z-score at least" hint="3.5 fires on clear spikes; lower fires more often" errors={errors}>
              {(p) => <input {...p} {...text('zScore')} inputMode="decimal" data-testid="rule-z" />}
            </Field>
          )}
          {type !== 'anomaly' && (
            <Field field="windowMinutes" label="Window (minutes, 1-60)" errors={errors}>
              {(p) => <input {...p} {...text('windowMinutes')} inputMode="numeric" data-testid="rule-window" />}
            </Field>
          )}
          {(type === 'ratio' || type === 'anomaly') && (
            <Field field="minCount" label={type === 'anomaly' ? 'Minimum closes in the minute' : 'Minimum closes in the window'} errors={errors}>
              {(p) => <input {...p} {...text('minCount')} inputMode="numeric" data-testid="rule-min-count" />}
            </Field>
          )}
          {type === 'anomaly' && (
            <Field field="minRatioPercent" label="Minimum share of the minute's closes (%)" hint="a near-zero baseline does not fire on noise" errors={errors}>
              {(p) => <input {...p} {...text('minRatioPercent')} inputMode="decimal" data-testid="rule-min-ratio" />}
            </Field>
          )}
        </fieldset>

        <fieldset className="form-group">
          <legend>Timing and grouping</legend>
          <Field field="forMinutes" label="For (minutes)" hint="how long it must hold before firing; 0 fires at once" errors={errors}>
            {(p) => <input {...p} {...text('forMinutes')} inputMode="decimal" data-testid="rule-for" />}
          </Field>
          <Field field="keepFiringForMinutes" label="Keep firing for (minutes)" hint="after recovery, against flapping" errors={errors}>
            {(p) => <input {...p} {...text('keepFiringForMinutes')} inputMode="decimal" data-testid="rule-keep-firing" />}
          </Field>
          <Field field="groupBy" label="Group" errors={errors}>
            {(p) => <OptionSelect {...p} options={GROUP_BY_OPTIONS} value={form.groupBy} onChange={(v) => set('groupBy', v)} testId="rule-group-by" />}
          </Field>
          <Field field="repeatMinutes" label="Repeat every (minutes)" hint="empty: notify once per episode" errors={errors}>
            {(p) => <input {...p} {...text('repeatMinutes')} inputMode="decimal" data-testid="rule-repeat" />}
          </Field>
        </fieldset>

        {errorCount > 0 && (
          <p className="form-error" role="alert" data-testid="rule-form-errors">
            {errorCount === 1 ? 'One field needs' : `${errorCount} fields need`} fixing before the rule can be backtested or saved.
          </p>
        )}
        {save.isError && <ActionError error={save.error} action="save the rule" testId="rule-save-error" />}
        {backtest.isError && <ActionError error={backtest.error} action="backtest the rule" testId="backtest-error" />}
        <div className="form-actions">
          <button type="button" className="button" onClick={runBacktest} disabled={backtest.isPending} data-testid="rule-backtest">
            {backtest.isPending ? 'Backtesting\u2026' : 'Backtest on the last 24 h'}
          </button>
          <button type="submit" className="button button-primary" disabled={save.isPending} data-testid="rule-save">
            {save.isPending ? 'Saving\u2026' : rule === null ? 'Create rule' : 'Save rule'}
          </button>
          <button type="button" className="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
      {backtest.isSuccess && tested !== null && <BacktestResult result={backtest.data} rule={tested} windowLabel="24 h" />}
    </section>
  );
}

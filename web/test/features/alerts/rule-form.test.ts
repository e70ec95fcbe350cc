// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { NEW_RULE_FORM, ruleToForm, validateRuleForm, type RuleForm } from '@/features/alerts/lib/rule-form';

import { ruleFixture } from './alert-fixtures';

const form = (overrides: Partial<RuleForm>): RuleForm => ({ ...NEW_RULE_FORM, name: 'Spike', ...overrides });

describe('rule form', () => {
  it('turns a new rule into the API input with every default of the collector', () => {
    expect(validateRuleForm(form({}))).toEqual({
      ok: true,
      input: {
        name: 'Spike',
        enabled: true,
        selector: { codes: [1011] },
        condition: { type: 'anomaly', zScore: 3.5, minCount: 5, minRatio: 0.02 },
        forMs: 180_000,
        keepFiringForMs: 300_000,
        severity: 'warning',
        groupBy: 'service',
        repeatIntervalMs: null,
        targetIds: null,
      },
    });
  });

  it('reads a threshold rate, a ratio in percent, a category, scope, label and repeat', () => {
    const threshold = validateRuleForm(form({ conditionType: 'threshold', measure: 'rate', windowMinutes: '10', above: '2.5', codes: '1011, 1013,none' }));
    expect(threshold.ok && threshold.input.condition).toEqual({ type: 'threshold', measure: 'rate', windowMinutes: 10, above: 2.5 });
    expect(threshold.ok && threshold.input.selector).toEqual({ codes: [1011, 1013, null] });

    const ratio = validateRuleForm(
      form({ conditionType: 'ratio', ratioPercent: '5', windowMinutes: '5', minCount: '20', watch: 'category', category: 'overload', service: ' chat ', route: '/ws', label: 'region = eu-west', forMinutes: '0', repeatMinutes: '30', groupBy: 'none' }),
    );
    expect(ratio).toEqual({
      ok: true,
      input: expect.objectContaining({
        selector: { category: 'overload', service: 'chat', route: '/ws', label: { key: 'region', value: 'eu-west' } },
        condition: { type: 'ratio', above: 0.05, windowMinutes: 5, minCount: 20 },
        forMs: 0,
        repeatIntervalMs: 1_800_000,
        groupBy: 'none',
      }),
    });
  });

  it('names each field that is wrong, with its unit or an example', () => {
    const result = validateRuleForm(
      form({
        name: ' ',
        codes: '1011, 70000, abc',
        label: '=x',
        zScore: '0.5',
        minCount: '2.5',
        minRatioPercent: '',
        forMinutes: 'soon',
        keepFiringForMinutes: '-1',
        repeatMinutes: '0.5',
      }),
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        name: 'give the rule a name, for example "Error spike on chat"',
        codes: 'not close codes: 70000, abc (write codes 0-65535 or "none", comma separated)',
        label: 'write the label as key=value, for example region=eu-west',
        zScore: 'must be at least 1 (robust z-score)',
        minCount: 'must be a whole number of closes',
        minRatioPercent: 'required (%)',
        forMinutes: '"soon" is not a number',
        keepFiringForMinutes: 'must be at least 0 minutes',
        repeatMinutes: 'must be at least 1 minutes',
      },
    });
  });

  it('refuses an empty code list, a window over 60 minutes and grouping by route on a one-route rule', () => {
    expect(validateRuleForm(form({ codes: ' , ' }))).toEqual({ ok: false, errors: { codes: 'give at least one code, for example 1011' } });
    expect(validateRuleForm(form({ conditionType: 'threshold', windowMinutes: '61' }))).toEqual({ ok: false, errors: { windowMinutes: 'must be at most 60 minutes' } });
    expect(validateRuleForm(form({ route: '/ws', groupBy: 'route' }))).toEqual({
      ok: false,
      errors: { groupBy: 'the rule already watches one route: group per service or one alert for everything' },
    });
  });

  it('reads a reconnect storm on the advising codes, and refuses one on other codes or per route', () => {
    const storm: RuleForm = { ...NEW_RULE_FORM, name: 'Storm', codes: '1012, 1013', conditionType: 'reconnect-storm', stormTimes: '8', windowMinutes: '5', minPerSecond: '20', forMinutes: '0' };
    const ok = validateRuleForm(storm);
    expect(ok.ok && ok.input.condition).toEqual({ type: 'reconnect-storm', above: 8, windowMinutes: 5, minPerSecond: 20 });
    expect(ok.ok && ruleToForm(ruleFixture({ ...ok.input, forMs: 0 })).stormTimes).toBe('8');
    const wrong = validateRuleForm({ ...storm, codes: '1011', groupBy: 'route', stormTimes: '0.5' });
    expect(wrong.ok ? {} : wrong.errors).toEqual({
      codes: 'a reconnect storm follows the closes that advise a reconnect: give some of 1001, 1012, 1013',
      groupBy: 'a reconnect storm is watched per service or for everything',
      stormTimes: expect.stringMatching(/times the normal rate/),
    });
  });

  it('edits a saved rule without changing it: form and back give the same input', () => {
    const rule = ruleFixture({ condition: { type: 'ratio', above: 0.35, windowMinutes: 3, minCount: 7 }, selector: { codes: [1011, null], service: 'chat', label: { key: 'az', value: 'b' } }, repeatIntervalMs: 600_000, targetIds: ['tg-1'] });
    const result = validateRuleForm(ruleToForm(rule));
    expect(result).toEqual({
      ok: true,
      input: {
        name: rule.name,
        enabled: true,
        selector: rule.selector,
        condition: rule.condition,
        forMs: rule.forMs,
        keepFiringForMs: rule.keepFiringForMs,
        severity: rule.severity,
        groupBy: rule.groupBy,
        repeatIntervalMs: 600_000,
        targetIds: ['tg-1'],
      },
    });
    expect(ruleToForm(rule).ratioPercent).toBe('35');
  });
});

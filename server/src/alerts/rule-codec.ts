import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { RuleFields, RuleRow } from '../storage/alerts/alert-store.js';
import { ConditionSchema, GROUP_BYS, SelectorSchema, SEVERITIES, type AlertRule, type RuleSpec } from './rule.js';

const selectorCheck = TypeCompiler.Compile(SelectorSchema);
const conditionCheck = TypeCompiler.Compile(ConditionSchema);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A stored rule as the API's rule, or null when its stored JSON no longer validates (it is then skipped, and said so). */
export function toRule(row: RuleRow): AlertRule | null {
  const selector = parse(row.selector);
  const condition = parse(row.condition);
  const targetIds = row.targetIds === null ? null : parse(row.targetIds);
  if (!selectorCheck.Check(selector) || !conditionCheck.Check(condition)) return null;
  const severity = SEVERITIES.find((s) => s === row.severity) ?? 'warning';
  const groupBy = GROUP_BYS.find((g) => g === row.groupBy) ?? 'service';
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    selector,
    condition,
    forMs: row.forMs,
    keepFiringForMs: row.keepFiringForMs,
    severity,
    groupBy,
    repeatIntervalMs: row.repeatIntervalMs,
    targetIds: Array.isArray(targetIds) ? targetIds.filter((t): t is string => typeof t === 'string') : null,
    builtin: row.builtin,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toFields(spec: RuleSpec): RuleFields {
  return {
    name: spec.name,
    enabled: spec.enabled,
    selector: JSON.stringify(spec.selector),
    condition: JSON.stringify(spec.condition),
    forMs: spec.forMs,
    keepFiringForMs: spec.keepFiringForMs,
    severity: spec.severity,
    groupBy: spec.groupBy,
    repeatIntervalMs: spec.repeatIntervalMs,
    targetIds: spec.targetIds === null ? null : JSON.stringify(spec.targetIds),
  };
}

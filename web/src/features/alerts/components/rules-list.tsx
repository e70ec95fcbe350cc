import type { AlertRule } from '@closewatch/server/api-types';
import { useState } from 'react';

import { ActionError } from '@/components/ui/action-error';
import { TableHead } from '@/components/ui/table-head';
import { useCustomCodeNames } from '@/lib/code-names';

import { useDeleteAlertRule } from '../api/delete-alert-rule';
import { usePatchAlertRule } from '../api/patch-alert-rule';
import { describeCondition, describeSelector, describeTiming } from '../lib/describe-rule';

interface RulesListProps {
  rules: readonly AlertRule[];
  onEdit: (rule: AlertRule) => void;
  onSilence: (rule: AlertRule) => void;
  onCreate: () => void;
}

function RuleRow({ rule, onEdit, onSilence }: { rule: AlertRule; onEdit: () => void; onSilence: () => void }) {
  const names = useCustomCodeNames();
  const patch = usePatchAlertRule();
  const remove = useDeleteAlertRule();
  const [confirming, setConfirming] = useState(false);
  return (
    <tr data-testid="rule-row" data-rule-id={rule.id} data-enabled={rule.enabled}>
      <td>
        <strong>{rule.name}</strong>
        {rule.builtin !== null && <span className="tag">built in</span>}
        <div className="muted small">{describeTiming(rule)}</div>
        {patch.isError && <ActionError error={patch.error} action={rule.enabled ? 'disable the rule' : 'enable the rule'} />}
        {remove.isError && <ActionError error={remove.error} action="delete the rule" />}
      </td>
      <td>{describeSelector(rule.selector, names)}</td>
      <td>{describeCondition(rule.condition)}</td>
      <td>
        <span className="severity" data-severity={rule.severity}>
          {rule.severity}
        </span>
      </td>
      <td>
        <label className="form-check">
          <input
            type="checkbox"
            checked={rule.enabled}
            disabled={patch.isPending}
            onChange={(e) => patch.mutate({ id: rule.id, changes: { enabled: e.currentTarget.checked } })}
            data-testid="rule-toggle"
          />
          {rule.enabled ? 'enabled' : 'disabled'}
        </label>
      </td>
      <td className="row-actions">
        <button type="button" className="button button-small" onClick={onEdit} data-testid="rule-edit">
          Edit
        </button>
        <button type="button" className="button button-small" onClick={onSilence} data-testid="rule-silence">
          Silence
        </button>
        {confirming ? (
          <>
            <button type="button" className="button button-small button-danger" onClick={() => remove.mutate(rule.id)} disabled={remove.isPending} data-testid="rule-delete-confirm">
              Delete with its history
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="button button-small" onClick={() => setConfirming(true)} data-testid="rule-delete">
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

/** Every rule with what it watches, when it fires, and its switches. */
export function RulesList({ rules, onEdit, onSilence, onCreate }: RulesListProps) {
  if (rules.length === 0) {
    return (
      <div className="empty-hint" data-testid="rules-empty">
        <p>No alert rules: nothing will tell you about a spike of closes.</p>
        <button type="button" className="button button-primary" onClick={onCreate}>
          Create one
        </button>{' '}
        (for example an anomaly on 1011 Internal Error per service, like the built-in &ldquo;Error spike&rdquo;).
      </div>
    );
  }
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="rules-table">
        <caption className="visually-hidden">Alert rules</caption>
        <TableHead columns={['Rule', 'Watches', 'Fires on', 'Severity', 'State', 'Actions']} />
        <tbody>
          {rules.map((rule) => (
            <RuleRow key={rule.id} rule={rule} onEdit={() => onEdit(rule)} onSilence={() => onSilence(rule)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

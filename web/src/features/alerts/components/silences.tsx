import type { AlertRule, SilenceMatcher, SilenceView } from '@closewatch/server/api-types';
import { useState, type FormEvent } from 'react';

import { ActionError } from '@/components/ui/action-error';
import { FormField } from '@/components/ui/form-field';
import { FormFooter } from '@/components/ui/form-footer';
import { OptionSelect } from '@/components/ui/option-select';
import { TableHead } from '@/components/ui/table-head';
import { formatDateTime, formatDuration, toDateTimeLocal } from '@/lib/format';

import { useCreateSilence } from '../api/create-silence';
import { useExpireSilence } from '../api/expire-silence';

const DURATIONS: ReadonlyArray<{ value: number; label: string }> = [
  { value: 3_600_000, label: '1 h' },
  { value: 4 * 3_600_000, label: '4 h' },
  { value: 24 * 3_600_000, label: '24 h' },
  { value: 7 * 24 * 3_600_000, label: '7 days' },
  { value: 0, label: 'until a date\u2026' },
];

/** The longest silence the collector takes. */
const MAX_SILENCE_MS = 90 * 24 * 3_600_000;

/** A matcher in words, with the rule's name rather than its id. */
export function describeMatcher(matcher: SilenceMatcher, rules: readonly AlertRule[]): string {
  const parts: string[] = [];
  if (matcher.ruleId !== undefined) parts.push(`rule \u201c${rules.find((r) => r.id === matcher.ruleId)?.name ?? matcher.ruleId}\u201d`);
  if (matcher.service !== undefined) parts.push(`service ${matcher.service}`);
  if (matcher.label !== undefined) parts.push(`label ${matcher.label.key}=${matcher.label.value}`);
  return parts.join(', ') || 'everything';
}

interface SilenceFormProps {
  rules: readonly AlertRule[];
  /** Preselected rule (the "Silence" action of a rule). */
  ruleId: string | null;
  onDone: () => void;
}

export function SilenceForm({ rules, ruleId: initialRule, onDone }: SilenceFormProps) {
  const [ruleId, setRuleId] = useState(initialRule ?? '');
  const [service, setService] = useState('');
  const [label, setLabel] = useState('');
  const [durationMs, setDurationMs] = useState(DURATIONS[0]?.value ?? 3_600_000);
  const [until, setUntil] = useState(() => toDateTimeLocal(Date.now() + 2 * 3_600_000));
  const [comment, setComment] = useState('');
  const [createdBy, setCreatedBy] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const create = useCreateSilence({ onSuccess: onDone });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const matcher: SilenceMatcher = {};
    if (ruleId !== '') matcher.ruleId = ruleId;
    if (service.trim() !== '') matcher.service = service.trim();
    if (label.trim() !== '') {
      const at = label.indexOf('=');
      if (at <= 0) return setProblem('Write the label as key=value, for example service=chat.');
      matcher.label = { key: label.slice(0, at).trim(), value: label.slice(at + 1).trim() };
    }
    if (Object.keys(matcher).length === 0) return setProblem('Choose what to silence: a rule, a service or a label (or several: all must match).');
    if (comment.trim() === '') return setProblem('Say why in the comment, for whoever wonders later why no alert came.');
    if (createdBy.trim() === '') return setProblem('Say who you are in "By": one admin account may be shared.');
    const endsAt = durationMs === 0 ? new Date(until).getTime() : Date.now() + durationMs;
    if (!Number.isFinite(endsAt) || endsAt <= Date.now()) return setProblem('Choose an end in the future.');
    if (endsAt - Date.now() > MAX_SILENCE_MS) return setProblem('A silence lasts at most 90 days: choose an earlier end.');
    setProblem(null);
    create.mutate({ matcher, endsAt, comment: comment.trim(), createdBy: createdBy.trim() });
  };

  return (
    <form className="panel silence-form" onSubmit={submit} noValidate data-testid="silence-form" aria-label="New silence">
      <h3 className="panel-title">New silence</h3>
      <p className="panel-caption">Mutes notifications (not the alerts themselves) of whatever matches all of the given fields.</p>
      <div className="form-row">
        <FormField label="Rule">
          {(p) => <OptionSelect {...p} options={[{ value: '', label: 'any rule' }, ...rules.map((r) => ({ value: r.id, label: r.name }))]} value={ruleId} onChange={setRuleId} testId="silence-rule" />}
        </FormField>
        <FormField label="Service">
          {(p) => <input {...p} value={service} onChange={(e) => setService(e.currentTarget.value)} placeholder="any service" data-testid="silence-service" />}
        </FormField>
        <FormField label="Label">
          {(p) => <input {...p} value={label} onChange={(e) => setLabel(e.currentTarget.value)} placeholder="key=value" data-testid="silence-label" />}
        </FormField>
        <FormField label="For">
          {(p) => <OptionSelect {...p} options={DURATIONS} value={durationMs} onChange={setDurationMs} testId="silence-duration" />}
        </FormField>
        {durationMs === 0 && (
          <FormField label="Until (your time zone)">
            {(p) => <input {...p} type="datetime-local" value={until} onChange={(e) => setUntil(e.currentTarget.value)} data-testid="silence-until" />}
          </FormField>
        )}
      </div>
      <div className="form-row">
        <FormField label="Comment" className="form-field-wide">
          {(p) => <input {...p} value={comment} onChange={(e) => setComment(e.currentTarget.value)} maxLength={500} placeholder="deploying chat v2, expect restarts" data-testid="silence-comment" />}
        </FormField>
        <FormField label="By">
          {(p) => <input {...p} value={createdBy} onChange={(e) => setCreatedBy(e.currentTarget.value)} maxLength={120} placeholder="your name" data-testid="silence-by" />}
        </FormField>
      </div>
      <FormFooter
        problem={problem}
        error={create.error}
        action="create the silence"
        submitLabel={durationMs === 0 ? 'Silence' : `Silence until ${formatDateTime(Date.now() + durationMs)}`}
        pending={create.isPending}
        onCancel={onDone}
        testId="silence-save"
      />
    </form>
  );
}

interface SilencesListProps {
  silences: readonly SilenceView[];
  rules: readonly AlertRule[];
  now: number;
}

function ExpireButton({ silence }: { silence: SilenceView }) {
  const expire = useExpireSilence();
  return (
    <>
      <button type="button" className="button button-small" onClick={() => expire.mutate(silence.id)} disabled={expire.isPending} data-testid="silence-expire">
        Expire now
      </button>
      {expire.isError && <ActionError error={expire.error} action="expire the silence" />}
    </>
  );
}

export function SilencesList({ silences, rules, now }: SilencesListProps) {
  if (silences.length === 0) {
    return (
      <p className="empty-hint" data-testid="silences-empty">
        No silences. Silence a rule, a service or a label during a deploy or while you fix a known problem: &ldquo;New
        silence&rdquo; above, or &ldquo;Silence&rdquo; on a rule.
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="silences-table">
        <caption className="visually-hidden">Silences</caption>
        <TableHead columns={['Mutes', 'Until', 'Comment', 'By', 'State']} />
        <tbody>
          {silences.map((s) => (
            <tr key={s.id} data-testid="silence-row" data-active={s.active}>
              <td>{describeMatcher(s.matcher, rules)}</td>
              <td>
                {formatDateTime(s.endsAt)}
                {s.active && <div className="muted small">{formatDuration(Math.max(0, s.endsAt - now))} left</div>}
              </td>
              <td>{s.comment}</td>
              <td>{s.createdBy}</td>
              <td>{s.active ? <ExpireButton silence={s} /> : <span className="muted">ended</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

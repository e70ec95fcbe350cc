import type { TargetKind, TargetView } from '@closewatch/server/api-types';
import { useState, type FormEvent } from 'react';

import { ActionError } from '@/components/ui/action-error';
import { FormField } from '@/components/ui/form-field';
import { FormFooter } from '@/components/ui/form-footer';
import { OptionSelect } from '@/components/ui/option-select';
import { QueryView } from '@/components/ui/query-view';
import { TableHead } from '@/components/ui/table-head';
import { formatDuration, formatEventTime } from '@/lib/format';

import { useCreateTarget } from '../api/create-target';
import { useDeleteTarget } from '../api/delete-target';
import { ATTEMPTS_LIMIT, useTargetAttempts } from '../api/get-target-attempts';
import { useTestTarget } from '../api/test-target';
import { useUpdateTarget } from '../api/update-target';

const KINDS: ReadonlyArray<{ kind: TargetKind; label: string; placeholder: string }> = [
  { kind: 'webhook', label: 'JSON webhook', placeholder: 'https://hooks.example.com/closewatch' },
  { kind: 'slack', label: 'Slack incoming webhook', placeholder: 'https://hooks.slack.com/services/T000/B000/XXXX' },
  { kind: 'alertmanager', label: 'Prometheus Alertmanager', placeholder: 'http://alertmanager:9093' },
];

export function TargetForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<TargetKind>('webhook');
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const create = useCreateTarget({ onSuccess: onDone });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return setProblem('Give the target a name, for example "#ops channel".');
    if (!/^https?:\/\/\S+$/.test(url.trim())) return setProblem('Give an http(s) URL, for example https://hooks.example.com/closewatch.');
    setProblem(null);
    create.mutate({ name: name.trim(), kind, url: url.trim(), enabled: true });
  };
  return (
    <form className="panel target-form" onSubmit={submit} noValidate data-testid="target-form" aria-label="New notification target">
      <h3 className="panel-title">New notification target</h3>
      <div className="form-row">
        <FormField label="Name">
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={120} data-testid="target-name" />}
        </FormField>
        <FormField label="Kind">
          {(p) => <OptionSelect {...p} options={KINDS.map((k) => ({ value: k.kind, label: k.label }))} value={kind} onChange={setKind} testId="target-kind" />}
        </FormField>
        <FormField label={kind === 'alertmanager' ? 'Alertmanager base URL' : 'URL'} className="form-field-wide">
          {(p) => <input {...p} value={url} onChange={(e) => setUrl(e.currentTarget.value)} placeholder={KINDS.find((k) => k.kind === kind)?.placeholder} data-testid="target-url" />}
        </FormField>
      </div>
      <FormFooter problem={problem} error={create.error} action="add the target" submitLabel="Add target" pending={create.isPending} onCancel={onDone} testId="target-save" />
    </form>
  );
}

function attemptOutcome(status: number | null, error: string | null): string {
  if (error !== null) {
    if (status === null) return `failed: ${error}`;
    return error.startsWith(`HTTP ${status}`) ? error : `HTTP ${status}: ${error}`;
  }
  return status === null ? 'no answer' : `HTTP ${status}`;
}

/** The delivery log of one target: every attempt with its status, time and error. */
export function DeliveryLog({ targetId }: { targetId: string }) {
  const query = useTargetAttempts(targetId);
  return (
    <QueryView query={query} what="the delivery log">
      {(data) =>
        data.attempts.length === 0 ? (
          <p className="empty-hint" data-testid="attempts-empty">
            Nothing sent to this target yet. &ldquo;Send test notification&rdquo; checks it now; alerts are sent when a rule fires and resolves.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="data-table compact" data-testid="delivery-log">
              <caption className="panel-caption">Delivery attempts, newest first (at most {ATTEMPTS_LIMIT})</caption>
              <TableHead columns={['Time', 'Notification', 'Outcome', { label: 'Took', num: true }]} />
              <tbody>
                {data.attempts.map((a, i) => (
                  <tr key={`${a.deliveryId}-${a.at}-${i}`} data-testid="attempt-row" data-event={a.event} data-status={a.status ?? ''} data-ok={a.error === null && a.status !== null && a.status < 300}>
                    <td>{formatEventTime(a.at)}</td>
                    <td>{a.event}</td>
                    <td className={a.error === null ? undefined : 'error-inline'}>{attemptOutcome(a.status, a.error)}</td>
                    <td className="num">{formatDuration(a.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </QueryView>
  );
}

function TargetRow({ target }: { target: TargetView }) {
  const update = useUpdateTarget();
  const test = useTestTarget();
  const remove = useDeleteTarget();
  const [showLog, setShowLog] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const last = target.lastAttempt;
  return (
    <li className="target" data-testid="target-row" data-target-id={target.id} data-enabled={target.enabled}>
      <div className="target-head">
        <div>
          <strong>{target.name}</strong> <span className="tag">{KINDS.find((k) => k.kind === target.kind)?.label ?? target.kind}</span>
          <div className="muted small">
            <code>{target.urlHint}</code> {'\u00b7'}{' '}
            {last === null ? 'nothing sent yet' : `last attempt ${formatEventTime(last.at)}: ${attemptOutcome(last.status, last.error)}`}
          </div>
        </div>
        <div className="row-actions">
          <label className="form-check">
            <input type="checkbox" checked={target.enabled} disabled={update.isPending} onChange={(e) => update.mutate({ id: target.id, changes: { enabled: e.currentTarget.checked } })} data-testid="target-toggle" />
            {target.enabled ? 'enabled' : 'disabled'}
          </label>
          <button type="button" className="button button-small" onClick={() => test.mutate(target.id)} disabled={test.isPending} data-testid="target-test">
            {test.isPending ? 'Sending\u2026' : 'Send test notification'}
          </button>
          <button type="button" className="button button-small" aria-expanded={showLog} onClick={() => setShowLog((s) => !s)} data-testid="target-log">
            {showLog ? 'Hide delivery log' : 'Delivery log'}
          </button>
          {confirming ? (
            <button type="button" className="button button-small button-danger" onClick={() => remove.mutate(target.id)} data-testid="target-delete-confirm">
              Delete target
            </button>
          ) : (
            <button type="button" className="button button-small" onClick={() => setConfirming(true)} data-testid="target-delete">
              Delete
            </button>
          )}
        </div>
      </div>
      {test.isSuccess && (
        <p className={test.data.ok ? 'callout-ok' : 'form-error'} role="status" data-testid="target-test-result" data-ok={test.data.ok}>
          {test.data.ok
            ? `Test notification delivered: HTTP ${test.data.status ?? ''} in ${formatDuration(test.data.durationMs)}.`
            : `Test notification failed (${attemptOutcome(test.data.status, test.data.error)}) after ${formatDuration(test.data.durationMs)}: check the URL and that the receiver is reachable from the collector. Like alerts, it is retried with backoff after a network error, a timeout, 408, 429 or 5xx; the delivery log shows every attempt.`}
        </p>
      )}
      {test.isError && <ActionError error={test.error} action="send the test notification" />}
      {update.isError && <ActionError error={update.error} action="change the target" />}
      {remove.isError && <ActionError error={remove.error} action="delete the target" />}
      {showLog && <DeliveryLog targetId={target.id} />}
    </li>
  );
}

export function TargetsList({ targets }: { targets: readonly TargetView[] }) {
  if (targets.length === 0) {
    return (
      <p className="empty-hint" data-testid="targets-empty">
        No notification targets yet: alerts show here and on the overview, but nobody is told. Add a webhook, a Slack
        incoming webhook or an Alertmanager with &ldquo;New target&rdquo;.
      </p>
    );
  }
  return (
    <ul className="targets" data-testid="targets-list">
      {targets.map((t) => (
        <TargetRow key={t.id} target={t} />
      ))}
    </ul>
  );
}

import { CATEGORY_LABELS, CLOSE_CATEGORIES, isNameableCode, type CloseCategory } from '@closewatch/sdk/close-codes';
import type { CodeName } from '@closewatch/server/api-types';
import { useState, type FormEvent } from 'react';

import { FormField } from '@/components/ui/form-field';
import { FormFooter } from '@/components/ui/form-footer';
import { OptionSelect } from '@/components/ui/option-select';

import { useSaveCodeName } from '../api/save-code-name';

interface CodeNameFormProps {
  /** The name being edited, or null for a new one. */
  editing: CodeName | null;
  onDone: () => void;
}

/** Names a code of 3000-4999, or changes its name; the collector's refusal is shown as it words it. */
export function CodeNameForm({ editing, onDone }: CodeNameFormProps) {
  const [code, setCode] = useState(editing === null ? '' : String(editing.code));
  const [name, setName] = useState(editing?.name ?? '');
  const [meaning, setMeaning] = useState(editing?.meaning ?? '');
  const [category, setCategory] = useState<CloseCategory>(editing?.category ?? 'application');
  const [retry, setRetry] = useState(editing?.retry ?? false);
  const [alertWorthy, setAlertWorthy] = useState(editing?.alertWorthy ?? false);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useSaveCodeName();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const number = /^\d+$/.test(code.trim()) ? Number(code.trim()) : Number.NaN;
    if (!isNameableCode(number)) return setProblem('Give a code from 3000 to 4999 (1000-2999 belong to the WebSocket protocol and keep their names).');
    if (name.trim() === '') return setProblem('Give the code a name, for example "Room closed".');
    setProblem(null);
    save.mutate({ code: number, input: { name: name.trim(), meaning: meaning.trim(), category, retry, alertWorthy } }, { onSuccess: onDone });
  };

  return (
    <form className="panel code-name-form" onSubmit={submit} noValidate data-testid="code-form" aria-label={editing === null ? 'Name a code' : `Edit code ${editing.code}`}>
      <h3 className="panel-title">{editing === null ? 'Name a code' : `Edit ${editing.code}`}</h3>
      <div className="form-row">
        <FormField label="Code" hint="3000-4999">
          {(p) => (
            <input {...p} inputMode="numeric" value={code} readOnly={editing !== null} onChange={(e) => setCode(e.currentTarget.value)} placeholder="4001" size={6} data-testid="code-number" />
          )}
        </FormField>
        <FormField label="Name" hint="1-64 characters, shown beside the code">
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={64} placeholder="Room closed" data-testid="code-name" />}
        </FormField>
        <FormField label="Category">
          {(p) => (
            <OptionSelect {...p} options={CLOSE_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))} value={category} onChange={setCategory} testId="code-category" />
          )}
        </FormField>
      </div>
      <FormField label="Meaning" hint="one line, at most 200 characters (optional)" className="form-field-wide">
        {(p) => <input {...p} value={meaning} onChange={(e) => setMeaning(e.currentTarget.value)} maxLength={200} placeholder="The room's owner closed it." data-testid="code-meaning" />}
      </FormField>
      <div className="form-row">
        <label className="form-check">
          <input type="checkbox" checked={retry} onChange={(e) => setRetry(e.currentTarget.checked)} data-testid="code-retry" />
          Clients should reconnect after it
        </label>
        <label className="form-check">
          <input type="checkbox" checked={alertWorthy} onChange={(e) => setAlertWorthy(e.currentTarget.checked)} data-testid="code-alert-worthy" />
          Alert-worthy
        </label>
      </div>
      <FormFooter problem={problem} error={save.error} action="save the name" submitLabel="Save name" pending={save.isPending} onCancel={onDone} testId="code-save" />
    </form>
  );
}

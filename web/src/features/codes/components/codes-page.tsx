import { CATEGORY_LABELS } from '@closewatch/sdk/close-codes';
import type { CodeName } from '@closewatch/server/api-types';
import { useState } from 'react';

import { ActionError } from '@/components/ui/action-error';
import { CloseCodeLabel } from '@/components/ui/close-code-label';
import { CodeBlock } from '@/components/ui/code-block';
import { Panel } from '@/components/ui/panel';
import { QueryView } from '@/components/ui/query-view';
import { TableHead } from '@/components/ui/table-head';
import { useSession } from '@/features/session/api/get-session';

import { useDeleteCodeName } from '../api/delete-code-name';
import { useCodes } from '../api/get-codes';
import { CodeNameForm } from './code-name-form';

const SDK_EXAMPLE = "instrument(wss, { codes: { 4001: { name: 'Room closed', retry: false } } });";
const yesNo = (value: boolean | null): string => (value === true ? 'yes' : 'no');

function CustomRow({ code, canEdit, onEdit }: { code: CodeName; canEdit: boolean; onEdit: () => void }) {
  const remove = useDeleteCodeName();
  return (
    <tr data-testid="custom-code-row" data-code={code.code}>
      <td>
        <CloseCodeLabel code={code.code} />
      </td>
      <td>{code.meaning}</td>
      <td>{CATEGORY_LABELS[code.category]}</td>
      <td>{yesNo(code.retry)}</td>
      <td>{yesNo(code.alertWorthy)}</td>
      <td>{code.source === 'ui' ? 'dashboard' : 'SDK'}</td>
      <td>
        {canEdit && (
          <div className="row-actions">
            <button type="button" className="button button-small" onClick={onEdit} data-testid="code-edit">
              Edit
            </button>
            <button type="button" className="button button-small" onClick={() => remove.mutate(code.code)} disabled={remove.isPending} data-testid="code-delete">
              Remove name
            </button>
          </div>
        )}
        {remove.error !== null && <ActionError error={remove.error} action="remove the name" />}
      </td>
    </tr>
  );
}

/**
 * The team's own close-code names (3000-4999): listed, added and edited here (a signed-in
 * session is needed) or registered by the SDK's `codes` option; and the registry's names.
 */
export function CodesPage() {
  const codes = useCodes();
  const session = useSession();
  const canEdit = session.data?.signedIn === true || session.data?.auth === 'none';
  const [editing, setEditing] = useState<{ code: CodeName | null } | null>(null);

  return (
    <div className="codes-page">
      <Panel
        title="Your codes"
        caption="names of codes 3000-4999, shown wherever the code appears: charts, tooltips, events, CSV exports and notifications"
        testId="codes-panel"
        className="panel-wide"
        actions={
          canEdit && (
            <button type="button" className="button button-primary" onClick={() => setEditing({ code: null })} data-testid="code-new">
              Name a code
            </button>
          )
        }
      >
        {!canEdit && session.data !== undefined && (
          <p className="callout" role="note" data-testid="codes-read-only">
            Read-only: naming codes needs the signed-in admin session of this dashboard (read tokens only read). Sign in with the admin password to add or edit names.
          </p>
        )}
        {editing !== null && <CodeNameForm key={editing.code?.code ?? 'new'} editing={editing.code} onDone={() => setEditing(null)} />}
        <QueryView query={codes} what="the code names">
          {(data) => {
            const custom = data.filter((c) => c.custom);
            if (custom.length === 0) {
              return (
                <div className="empty-hint" data-testid="codes-empty">
                  <p>
                    No codes of your own yet: 3000-3999 show as &ldquo;Registered (library/framework)&rdquo; and 4000-4999 as &ldquo;Private (application)&rdquo;. Name one with
                    &ldquo;Name a code&rdquo; above, or let your server register them at start with the SDK&apos;s <code>codes</code> option:
                  </p>
                  <CodeBlock code={SDK_EXAMPLE} label="In your server, where you call instrument()" />
                </div>
              );
            }
            return (
              <div className="table-scroll">
                <table className="data-table" data-testid="codes-table">
                  <TableHead columns={['Code', 'Meaning', 'Category', 'Retry', 'Alert-worthy', 'Set in', '']} />
                  <tbody>
                    {custom.map((c) => (
                      <CustomRow key={c.code} code={c} canEdit={canEdit} onEdit={() => setEditing({ code: c })} />
                    ))}
                  </tbody>
                </table>
              </div>
            );
          }}
        </QueryView>
      </Panel>
      <Panel title="Built-in names" caption="the IANA registry's codes; RFC 6455 codes cannot be renamed" testId="registry-codes-panel" className="panel-wide">
        <QueryView query={codes} what="the code names">
          {(data) => (
            <ul className="code-list">
              {data
                .filter((c) => !c.custom)
                .map((c) => (
                  <li key={c.code}>
                    <CloseCodeLabel code={c.code} /> <span className="muted small">{c.meaning}</span>
                  </li>
                ))}
            </ul>
          )}
        </QueryView>
      </Panel>
    </div>
  );
}

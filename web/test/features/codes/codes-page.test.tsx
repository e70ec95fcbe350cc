import type { CodeName } from '@closewatch/server/api-types';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { CloseCodeLabel } from '@/components/ui/close-code-label';
import { useCodeNames } from '@/features/codes/api/get-codes';
import { CodesPage } from '@/features/codes/components/codes-page';
import { CodeNamesContext } from '@/lib/code-names';

import { jsonResponse, renderWithClient, stubFetch, type FetchCall } from '../../test-utils';

const REGISTRY: CodeName = {
  code: 1000,
  name: 'Normal Closure',
  shortName: 'Normal',
  meaning: 'The purpose of the connection was fulfilled and it was closed on purpose.',
  hint: '',
  category: 'normal',
  custom: false,
  retry: null,
  alertWorthy: null,
  source: 'registry',
  updatedAt: null,
};

const ROOM: CodeName = {
  code: 4001,
  name: 'Room closed',
  shortName: 'Other',
  meaning: 'The owner closed the room.',
  hint: 'Your application chose this code.',
  category: 'normal',
  custom: true,
  retry: false,
  alertWorthy: true,
  source: 'sdk',
  updatedAt: '2026-11-26T10:00:00.000Z',
};

/** A collector holding `codes`, taking PUTs (or refusing them with `refuse`). */
function collector(signedIn: boolean, codes: CodeName[], refuse?: { status: number; code: string; message: string }): FetchCall[] {
  const stored = [...codes];
  return stubFetch((call) => {
    if (call.path === '/api/v1/session') return jsonResponse({ signedIn, auth: 'password', expiresAt: null });
    if (call.path === '/api/v1/codes') return jsonResponse({ codes: stored });
    if (call.method === 'PUT' && call.path.startsWith('/api/v1/codes/')) {
      if (refuse) return jsonResponse({ error: { code: refuse.code, message: refuse.message } }, refuse.status);
      const body = call.body as Omit<CodeName, 'code'>;
      const saved: CodeName = { ...ROOM, ...body, code: Number(call.path.split('/').pop()), source: 'ui' };
      stored.push(saved);
      return jsonResponse(saved, 201);
    }
    return jsonResponse({ error: { code: 'NOT_FOUND', message: 'no route' } }, 404);
  });
}

/** The page inside the context the app shell gives it. */
function Page() {
  return (
    <CodeNamesContext.Provider value={useCodeNames()}>
      <CodesPage />
    </CodeNamesContext.Provider>
  );
}

describe('the Codes page', () => {
  it('explains how to add a code when there is none: the form or the SDK option', async () => {
    collector(true, [REGISTRY]);
    renderWithClient(<Page />);
    const empty = await screen.findByTestId('codes-empty');
    expect(empty).toHaveTextContent('No codes of your own yet');
    expect(empty).toHaveTextContent("instrument(wss, { codes: { 4001: { name: 'Room closed', retry: false } } });");
    expect(screen.getByTestId('code-new')).toBeVisible();
    expect(within(screen.getByTestId('registry-codes-panel')).getByText('1000 Normal Closure (Normal)')).toBeVisible();
  });

  it('lists the team\'s codes by name with their fields; signed out, it says why nothing can be changed', async () => {
    collector(false, [REGISTRY, ROOM]);
    renderWithClient(<Page />);
    const row = await screen.findByTestId('custom-code-row');
    await waitFor(() => expect(row).toHaveTextContent('4001 Room closed'));
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['4001 Room closed', 'The owner closed the room.', 'Normal', 'no', 'yes', 'SDK', '']);
    expect(screen.getByTestId('codes-read-only')).toHaveTextContent('Read-only: naming codes needs the signed-in admin session of this dashboard');
    expect(screen.queryByTestId('code-new')).toBeNull();
    expect(screen.queryByTestId('code-edit')).toBeNull();
  });

  it('names a code: checks the code first, sends every field, and lists it', async () => {
    const calls = collector(true, [REGISTRY]);
    const user = userEvent.setup();
    renderWithClient(<Page />);
    await user.click(await screen.findByTestId('code-new'));
    await user.type(screen.getByTestId('code-number'), '1011');
    await user.type(screen.getByTestId('code-name'), 'Mine now');
    await user.click(screen.getByTestId('code-save'));
    expect(screen.getByRole('alert')).toHaveTextContent('Give a code from 3000 to 4999 (1000-2999 belong to the WebSocket protocol and keep their names).');
    await user.clear(screen.getByTestId('code-number'));
    await user.type(screen.getByTestId('code-number'), '4002');
    await user.clear(screen.getByTestId('code-name'));
    await user.type(screen.getByTestId('code-name'), 'Kicked');
    await user.type(screen.getByTestId('code-meaning'), 'A moderator removed the user.');
    await user.selectOptions(screen.getByTestId('code-category'), 'client-error');
    await user.click(screen.getByTestId('code-alert-worthy'));
    await user.click(screen.getByTestId('code-save'));
    await waitFor(() => expect(screen.queryByTestId('code-form')).toBeNull());
    expect(calls.filter((c) => c.method === 'PUT').map((c) => [c.path, c.body])).toEqual([
      ['/api/v1/codes/4002', { name: 'Kicked', meaning: 'A moderator removed the user.', category: 'client-error', retry: false, alertWorthy: true }],
    ]);
    await waitFor(() => expect(screen.getByTestId('custom-code-row')).toHaveTextContent('4002 Kicked'));
  });

  it('shows the collector\'s refusal as it words it, and keeps the form', async () => {
    collector(true, [REGISTRY], { status: 400, code: 'INVALID_CODE_NAME', message: 'body.meaning must be one line (no line breaks)' });
    const user = userEvent.setup();
    renderWithClient(<Page />);
    await user.click(await screen.findByTestId('code-new'));
    await user.type(screen.getByTestId('code-number'), '4003');
    await user.type(screen.getByTestId('code-name'), 'Idle');
    await user.click(screen.getByTestId('code-save'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not save the name: body.meaning must be one line (no line breaks) (INVALID_CODE_NAME)');
    expect(alert).toHaveTextContent('Fix the field the message names and try again; nothing was changed.');
    expect(screen.getByTestId('code-form')).toBeVisible();
  });
});

describe('CloseCodeLabel with custom names', () => {
  it('names a custom code and says what the team decided about it; RFC codes keep theirs', () => {
    const names = new Map([[4001, { name: 'Room closed', meaning: 'The owner closed the room.', category: 'normal' as const, retry: true, alertWorthy: false }]]);
    renderWithClient(
      <CodeNamesContext.Provider value={names}>
        <CloseCodeLabel code={4001} />
        <CloseCodeLabel code={4002} />
      </CodeNamesContext.Provider>,
    );
    expect(screen.getByText('4001 Room closed')).toBeVisible();
    expect(screen.getByText('4002 Private (application)')).toBeVisible();
  });
});

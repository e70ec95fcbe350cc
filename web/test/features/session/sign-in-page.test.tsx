import type { SessionState } from '@closewatch/server/api-types';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { App } from '@/app';

import { NOW } from '../../fixtures';
import { FakeWebSocket, createTestQueryClient, jsonResponse, readAnswer, stubFetch, type FetchCall } from '../../test-utils';

const SIGNED_OUT: SessionState = { signedIn: false, auth: 'password', expiresAt: null };
const SIGNED_IN: SessionState = { signedIn: true, auth: 'password', expiresAt: NOW + 168 * 3_600_000 };
const NO_AUTH: SessionState = { signedIn: true, auth: 'none', expiresAt: null };
const WANTED = '/events?range=15m&code=1006';

const HELP = [
  'The collector printed it once, at its first start, under \u201cAdmin password\u201d in the output of npm start.',
  'If CLOSEWATCH_ADMIN_PASSWORD is set where the collector runs, the password is that value.',
  'Lost it? npm run keys -- reset-admin-password sets a new one and prints it (and signs every browser out).',
];

interface CollectorOptions {
  session?: SessionState;
  /** The answer to POST /api/v1/session; the default takes "the-right-password" only. */
  signIn?: (password: string) => Response;
}

const rateLimited = (seconds: number): Response =>
  new Response(JSON.stringify({ error: { code: 'RATE_LIMITED', message: `too many requests: at most 10 per minute; retry in ${seconds} s` } }), {
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': String(seconds) },
  });

const rightPassword = (password: string): Response =>
  password === 'the-right-password'
    ? jsonResponse(SIGNED_IN)
    : jsonResponse({ error: { code: 'WRONG_PASSWORD', message: 'the password is wrong; ...' } }, 401);

/** The collector: session state, sign-in, and the events page. */
function stubCollector({ session = SIGNED_OUT, signIn = rightPassword }: CollectorOptions = {}): FetchCall[] {
  let current = session;
  return stubFetch((call) => {
    if (call.path === '/api/v1/session' && call.method === 'GET') return jsonResponse(current);
    if (call.path === '/api/v1/session' && call.method === 'POST') {
      const answer = signIn((call.body as { password: string }).password);
      if (answer.ok) current = SIGNED_IN;
      return answer;
    }
    return readAnswer(call.path);
  });
}

const signInCalls = (calls: FetchCall[]) => calls.filter((c) => c.method === 'POST').map(({ method, path, search, headers, body }) => ({ method, path, search, headers, body }));

function openSignIn(next: string | null = WANTED) {
  window.history.replaceState(null, '', next === null ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`);
  render(<App queryClient={createTestQueryClient()} />);
}

const errorTexts = () => within(screen.getByTestId('sign-in-error')).getAllByRole('paragraph').map((p) => p.textContent);

describe('sign-in page', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says where the password comes from, signs in with it and lands on the page asked for', async () => {
    const user = userEvent.setup();
    const calls = stubCollector();
    openSignIn();
    const password = await screen.findByLabelText('Admin password');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(/^Sign in to closewatch$/);
    expect(within(screen.getByTestId('sign-in-help')).getAllByRole('listitem').map((li) => li.textContent)).toEqual(HELP);
    expect(document.title).toBe('Sign in \u00b7 closewatch');
    // Nothing but the session check before a password is sent; no live socket.
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/v1/session']);
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();

    await user.type(password, 'the-right-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByTestId('events-table');
    expect(window.location.pathname + window.location.search).toBe(WANTED);
    expect(signInCalls(calls)).toEqual([
      {
        method: 'POST',
        path: '/api/v1/session',
        search: '',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: { password: 'the-right-password' },
      },
    ]);
    expect(await screen.findByTestId('sign-out')).toHaveTextContent(/^Sign out$/);
  });

  it('says a wrong password is wrong and keeps the reader on the page', async () => {
    const user = userEvent.setup();
    stubCollector();
    openSignIn();
    await user.type(await screen.findByLabelText('Admin password'), 'a-wrong-guess');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByTestId('sign-in-error');
    expect(errorTexts()).toEqual([
      'That password is wrong.',
      'Type it again (it is case-sensitive); where the password comes from is explained below.',
    ]);
    expect(screen.getByLabelText('Admin password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Admin password')).toHaveAccessibleDescription(
      'That password is wrong. Type it again (it is case-sensitive); where the password comes from is explained below.',
    );
    expect(window.location.pathname + window.location.search).toBe(`/sign-in?next=${encodeURIComponent(WANTED)}`);
  });

  it('after too many tries, says how long to wait and holds the form until then', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const user = userEvent.setup();
    stubCollector({ signIn: () => rateLimited(42) });
    openSignIn();
    await user.type(await screen.findByLabelText('Admin password'), 'guess-number-eleven');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByTestId('sign-in-error');
    expect(errorTexts()).toEqual(['Too many sign-in attempts from this address.', 'Wait 42 s (until 10:00:42), then try again.']);
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  });

  it('opens the form again when the wait is over', async () => {
    const user = userEvent.setup();
    let tries = 0;
    stubCollector({
      signIn: (password) => {
        tries += 1;
        return tries === 1 ? rateLimited(1) : rightPassword(password);
      },
    });
    openSignIn();
    await user.type(await screen.findByLabelText('Admin password'), 'the-right-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByTestId('sign-in-error')).toHaveAttribute('data-kind', 'rate-limited');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled());
    expect(screen.queryByTestId('sign-in-error')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByTestId('events-table');
    expect(tries).toBe(2);
  });

  it('says when the collector cannot be reached, and how to start it', async () => {
    const user = userEvent.setup();
    let reachable = true;
    stubFetch((call) => {
      if (!reachable) throw new TypeError('Failed to fetch');
      return call.method === 'GET' ? jsonResponse(SIGNED_OUT) : jsonResponse(SIGNED_IN);
    });
    openSignIn();
    const password = await screen.findByLabelText('Admin password');
    reachable = false;
    await user.type(password, 'the-right-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByTestId('sign-in-error');
    expect(errorTexts()).toEqual([
      'Cannot reach the collector at http://localhost:3000.',
      'Start it with `npm start` (or `npm run dev`), then sign in again.',
    ]);
  });

  it('says so at once when the collector cannot even be asked whether this browser is signed in', async () => {
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    openSignIn();
    await screen.findByTestId('sign-in-error');
    expect(errorTexts()).toEqual([
      'Cannot reach the collector at http://localhost:3000.',
      'Start it with `npm start` (or `npm run dev`), then sign in again.',
    ]);
    expect(screen.getByLabelText('Admin password')).toBeInTheDocument();
  });

  it.each([
    ['this browser is already signed in', SIGNED_IN, true],
    ['the collector runs without sign-in (no sign-out either)', NO_AUTH, false],
  ] as const)('goes straight on when %s', async (_, session, signOutShown) => {
    const calls = stubCollector({ session });
    openSignIn();
    await screen.findByTestId('events-table');
    expect(window.location.pathname + window.location.search).toBe(WANTED);
    expect(signInCalls(calls)).toEqual([]);
    expect(screen.queryByLabelText('Admin password')).toBeNull();
    await waitFor(() => expect(screen.queryByTestId('sign-out') !== null).toBe(signOutShown));
  });

  it('lands on the overview when next points anywhere else', async () => {
    const user = userEvent.setup();
    stubCollector();
    openSignIn('//evil.example/steal');
    await user.type(await screen.findByLabelText('Admin password'), 'the-right-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(window.location.pathname + window.location.search).toBe('/'));
  });
});

import type { SessionState } from '@closewatch/server/api-types';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { App } from '@/app';
import { sessionQueryKey } from '@/features/session/api/get-session';

import { NOW } from '../../fixtures';
import { FakeWebSocket, createTestQueryClient, jsonResponse, readAnswer, stubFetch, type FetchCall } from '../../test-utils';

const SIGNED_OUT: SessionState = { signedIn: false, auth: 'password', expiresAt: null };
const SIGNED_IN: SessionState = { signedIn: true, auth: 'password', expiresAt: NOW + 168 * 3_600_000 };
const NOT_SIGNED_IN = { error: { code: 'NOT_SIGNED_IN', message: 'this needs a credential: sign in to the dashboard, ...' } };

/** A collector whose reads answer 401 NOT_SIGNED_IN until signed in, and `session` for GET /api/v1/session. */
function stubCollector(options: { session?: () => SessionState | 'unreachable'; refused?: { status: number; code: string } } = {}) {
  let signedIn = false;
  const refused = options.refused ?? { status: 401, code: 'NOT_SIGNED_IN' };
  const calls = stubFetch((call: FetchCall) => {
    if (call.path === '/api/v1/session') {
      if (call.method === 'POST') {
        signedIn = true;
        return jsonResponse(SIGNED_IN);
      }
      if (call.method === 'DELETE') {
        signedIn = false;
        return new Response(null, { status: 204 });
      }
      const session = options.session?.() ?? (signedIn ? SIGNED_IN : SIGNED_OUT);
      if (session === 'unreachable') throw new TypeError('Failed to fetch');
      return jsonResponse(session);
    }
    if (!signedIn) return jsonResponse(refused.code === 'NOT_SIGNED_IN' ? NOT_SIGNED_IN : { error: { code: refused.code, message: 'refused' } }, refused.status);
    return readAnswer(call.path);
  });
  return {
    calls,
    signIn: () => {
      signedIn = true;
    },
    count: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path).length,
  };
}

const here = () => window.location.pathname + window.location.search;

describe('the way to the sign-in page and back', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });

  it('a read refused with 401 NOT_SIGNED_IN sends the reader to sign in, and back to exactly that page after', async () => {
    const user = userEvent.setup();
    const collector = stubCollector();
    window.history.replaceState(null, '', '/events?range=15m&code=1006&live=0');
    const historyLength = window.history.length;
    render(<App queryClient={createTestQueryClient()} />);

    await screen.findByLabelText('Admin password');
    expect(here()).toBe('/sign-in?next=%2Fevents%3Frange%3D15m%26code%3D1006%26live%3D0');
    // The page that sent the reader away was replaced: Back does not bounce between the two.
    expect(window.history.length).toBe(historyLength);
    expect(collector.count('GET', '/api/v1/events')).toBe(1);

    await user.type(screen.getByLabelText('Admin password'), 'the-right-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByTestId('events-table');
    expect(here()).toBe('/events?range=15m&code=1006&live=0');
    expect(collector.count('GET', '/api/v1/events')).toBe(2);
    expect(window.history.length).toBe(historyLength);
  });

  it.each([
    [401, 'UNKNOWN_TOKEN'],
    [403, 'INGEST_KEY_CANNOT_READ'],
  ])('a read refused with %i %s stays on the page and explains it', async (status, code) => {
    stubCollector({ refused: { status, code }, session: () => SIGNED_IN });
    window.history.replaceState(null, '', '/?range=1h&live=0');
    render(<App queryClient={createTestQueryClient()} />);
    expect(await screen.findByTestId('overview-error')).toHaveTextContent(
      'Could not load the summary: refusedThe collector refused the read: check its access settings.Retry',
    );
    expect(here()).toBe('/?range=1h&live=0');
  });

  it.each([
    ['signed in', SIGNED_IN, '/?range=1h&service=chat&live=1'],
    ['unreachable', 'unreachable', '/?range=1h&service=chat&live=1'],
    ['signed out', SIGNED_OUT, '/sign-in?next=%2F%3Frange%3D1h%26service%3Dchat%26live%3D1'],
  ] as const)('a refused live feed asks whether the session ended; the collector says %s', async (_, answer, expected) => {
    let session: SessionState | 'unreachable' = SIGNED_IN;
    const collector = stubCollector({ session: () => session });
    collector.signIn();
    window.history.replaceState(null, '', '/?range=1h&service=chat&live=1');
    const client = createTestQueryClient();
    render(<App queryClient={client} />);
    await screen.findByTestId('total-closures');
    await screen.findByTestId('sign-out');
    const checks = collector.count('GET', '/api/v1/session');
    session = answer;

    // The upgrade is refused: the socket closes before the collector said hello.
    act(() => FakeWebSocket.latest().drop(1006));
    await waitFor(() => expect(collector.count('GET', '/api/v1/session')).toBe(checks + 1));
    // Its answer has been taken in (or its failure).
    await waitFor(() => expect(client.getQueryState(sessionQueryKey)?.fetchStatus).toBe('idle'));
    expect(here()).toBe(expected);
    expect(screen.queryByLabelText('Admin password') !== null).toBe(answer === SIGNED_OUT);
  });

  it('a live feed that drops after its hello is not a refusal: no session check', async () => {
    const collector = stubCollector();
    collector.signIn();
    window.history.replaceState(null, '', '/?range=1h&live=1');
    render(<App queryClient={createTestQueryClient()} />);
    await screen.findByTestId('total-closures');
    const checks = collector.count('GET', '/api/v1/session');
    act(() => FakeWebSocket.latest().open());
    act(() => FakeWebSocket.latest().drop(1001, 'restart'));
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Reconnecting in \d s$/);
    expect(collector.count('GET', '/api/v1/session')).toBe(checks);
  });

  it('signs out: ends the session on the collector and shows the sign-in page', async () => {
    const user = userEvent.setup();
    const collector = stubCollector();
    collector.signIn();
    window.history.replaceState(null, '', '/?range=1h&live=0');
    render(<App queryClient={createTestQueryClient()} />);
    const signOut = await screen.findByTestId('sign-out');
    expect(signOut).toHaveTextContent(/^Sign out$/);
    expect(signOut).toHaveAttribute('title', 'Signed in until 2026-12-03 10:00; signing out ends the session on the collector');

    await user.click(signOut);
    await screen.findByLabelText('Admin password');
    expect(here()).toBe('/sign-in');
    expect(collector.calls.filter((c) => c.method === 'DELETE').map((c) => `${c.method} ${c.path}`)).toEqual(['DELETE /api/v1/session']);
    expect(screen.queryByTestId('total-closures')).toBeNull();
  });

  it('shows no sign-out when the collector cannot say who is signed in', async () => {
    stubCollector({ session: () => 'unreachable' });
    window.history.replaceState(null, '', '/nope');
    render(<App queryClient={createTestQueryClient()} />);
    expect(screen.getByTestId('not-found')).toHaveTextContent('No page at /nope');
    await waitFor(() => expect(screen.queryByTestId('sign-out')).toBeNull());
  });
});

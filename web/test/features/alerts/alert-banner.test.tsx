import { act, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { App } from '@/app';
import { AlertBanner } from '@/features/alerts/components/alert-banner';
import { getAlertsQueryOptions } from '@/features/alerts/api/get-alerts';

import { NOW } from '../../fixtures';
import { FakeWebSocket, createTestQueryClient, jsonResponse, readAnswer, renderWithClient } from '../../test-utils';
import { activeFixture } from './alert-fixtures';

const NOW_RANGE = { range: { kind: 'relative', preset: '1h' } } as const;

describe('alert banner', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });

  it('shows nothing while no alert fires (pending ones included)', () => {
    const client = createTestQueryClient();
    client.setQueryData(getAlertsQueryOptions(NOW_RANGE).queryKey, { active: [activeFixture({ state: 'pending', episode: null })], history: [], window: { from: 0, to: 1 } });
    renderWithClient(<AlertBanner href="/alerts" />, client);
    expect(screen.queryByTestId('alert-banner')).toBeNull();
  });

  it('names each firing alert with its value against the baseline, since when, and links to the Alerts page', () => {
    const client = createTestQueryClient();
    client.setQueryData(getAlertsQueryOptions(NOW_RANGE).queryKey, {
      active: [activeFixture(), activeFixture({ ruleId: 'r2', ruleName: 'Again spike', severity: 'warning', group: { service: 'feed' }, silenced: true })],
      history: [],
      window: { from: 0, to: 1 },
    });
    renderWithClient(<AlertBanner href="/alerts?range=1h" />, client);
    const banner = screen.getByTestId('alert-banner');
    expect(banner).toHaveAttribute('data-severity', 'critical');
    expect(banner).toHaveTextContent('2 alerts firing (1 silenced)');
    expect(screen.getAllByTestId('banner-alert').map((li) => li.textContent)).toEqual([
      'Error spike on chat since 2026-11-26 09:50: 42 closes/min against a baseline of 1.5 closes/min',
      'Again spike on feed since 2026-11-26 09:50: 42 closes/min against a baseline of 1.5 closes/min (silenced)',
    ]);
    expect(screen.getByTestId('banner-link')).toHaveAttribute('href', '/alerts?range=1h');
  });

  it('appears when the live feed says an alert fired, without a reload', async () => {
    let firing = false;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const url = new URL(String(input), window.location.origin);
        if (url.pathname === '/api/v1/alerts') return jsonResponse({ active: firing ? [activeFixture()] : [], history: firing ? [activeFixture().episode] : [] });
        return readAnswer(url.pathname);
      }),
    );
    window.history.replaceState(null, '', '/?range=1h&live=1');
    render(<App queryClient={createTestQueryClient()} />);
    expect(await screen.findByTestId('total-closures')).toBeInTheDocument();
    act(() => FakeWebSocket.latest().open());
    expect(screen.queryByTestId('alert-banner')).toBeNull();

    firing = true;
    act(() =>
      FakeWebSocket.latest().send({ type: 'alert', change: 'firing', ruleId: 'rule-1', ruleName: 'Error spike', severity: 'critical', group: { service: 'chat' }, episodeId: 'ep-1', value: 42, at: NOW }),
    );
    await waitFor(() => expect(screen.getByTestId('alert-banner')).toHaveTextContent('1 alert firing'));
    // The same answer marks the episode on the closures chart.
    expect(screen.getByTestId('closures-by-category-bands')).toHaveTextContent('Error spike on chat: 2026-11-26 09:50 \u2013 still firing');

    firing = false;
    act(() =>
      FakeWebSocket.latest().send({ type: 'alert', change: 'resolved', ruleId: 'rule-1', ruleName: 'Error spike', severity: 'critical', group: { service: 'chat' }, episodeId: 'ep-1', value: 0, at: NOW }),
    );
    await waitFor(() => expect(screen.queryByTestId('alert-banner')).toBeNull());
  });
});

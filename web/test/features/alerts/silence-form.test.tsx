import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { SilenceForm, SilencesList } from '@/features/alerts/components/silences';

import { NOW } from '../../fixtures';
import { jsonResponse, renderWithClient, stubFetch } from '../../test-utils';
import { ruleFixture } from './alert-fixtures';

describe('silences', () => {
  it('asks for what to silence, why and by whom before sending, then sends the matcher and the end', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const calls = stubFetch((call) => jsonResponse({ id: 's1', ...(call.body as object), startsAt: NOW, createdAt: NOW, active: true }, 201));
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWithClient(<SilenceForm rules={[ruleFixture()]} ruleId={null} onDone={onDone} />);

    await user.click(screen.getByTestId('silence-save'));
    expect(screen.getByRole('alert')).toHaveTextContent('Choose what to silence: a rule, a service or a label');
    await user.type(screen.getByTestId('silence-label'), 'region');
    await user.click(screen.getByTestId('silence-save'));
    expect(screen.getByRole('alert')).toHaveTextContent('Write the label as key=value');
    await user.type(screen.getByTestId('silence-label'), '=eu-west');
    await user.selectOptions(screen.getByTestId('silence-rule'), 'rule-1');
    await user.type(screen.getByTestId('silence-service'), 'chat');
    await user.click(screen.getByTestId('silence-save'));
    expect(screen.getByRole('alert')).toHaveTextContent('Say why in the comment');
    await user.type(screen.getByTestId('silence-comment'), 'deploy');
    await user.click(screen.getByTestId('silence-save'));
    expect(screen.getByRole('alert')).toHaveTextContent('Say who you are in "By"');
    await user.type(screen.getByTestId('silence-by'), 'ana');
    await user.selectOptions(screen.getByTestId('silence-duration'), '14400000');
    expect(screen.getByTestId('silence-save')).toHaveTextContent('Silence until 2026-11-26 14:00');
    expect(calls).toEqual([]);
    await user.click(screen.getByTestId('silence-save'));

    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['POST', '/api/v1/silences', { matcher: { ruleId: 'rule-1', service: 'chat', label: { key: 'region', value: 'eu-west' } }, endsAt: NOW + 4 * 3_600_000, comment: 'deploy', createdBy: 'ana' }],
    ]);
    vi.useRealTimers();
  });

  it('silences until a chosen date, and refuses one in the past', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const calls = stubFetch(() => jsonResponse({}, 201));
    const user = userEvent.setup();
    renderWithClient(<SilenceForm rules={[ruleFixture()]} ruleId="rule-1" onDone={() => {}} />);
    await user.type(screen.getByTestId('silence-comment'), 'maintenance');
    await user.type(screen.getByTestId('silence-by'), 'ana');
    await user.selectOptions(screen.getByTestId('silence-duration'), '0');
    const until = screen.getByTestId('silence-until');
    await user.clear(until);
    await user.type(until, '2026-11-26T09:00');
    await user.click(screen.getByTestId('silence-save'));
    expect(screen.getByRole('alert')).toHaveTextContent('Choose an end in the future.');
    await user.clear(until);
    await user.type(until, '2026-11-27T08:30');
    await user.click(screen.getByTestId('silence-save'));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]?.body).toEqual({ matcher: { ruleId: 'rule-1' }, endsAt: Date.UTC(2026, 10, 27, 8, 30), comment: 'maintenance', createdBy: 'ana' });
    vi.useRealTimers();
  });

  it('lists silences with the rule by name, time left, and says how to make one when there is none', () => {
    renderWithClient(
      <SilencesList
        silences={[{ id: 's1', matcher: { ruleId: 'rule-1', service: 'chat' }, startsAt: NOW - 60_000, endsAt: NOW + 90 * 60_000, comment: 'deploy', createdBy: 'ana', createdAt: NOW - 60_000, active: true }]}
        rules={[ruleFixture()]}
        now={NOW}
      />,
    );
    expect(screen.getByTestId('silence-row')).toHaveTextContent('rule \u201cError spike\u201d, service chat2026-11-26 11:301 h 30 min leftdeployanaExpire now');
  });

  it('says how to make a silence when there is none', () => {
    renderWithClient(<SilencesList silences={[]} rules={[]} now={NOW} />);
    expect(screen.getByTestId('silences-empty')).toHaveTextContent('No silences. Silence a rule, a service or a label during a deploy');
  });
});

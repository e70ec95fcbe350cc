import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { RuleEditor } from '@/features/alerts/components/rule-editor';

import { NOW, categoryTimeseriesFixture } from '../../fixtures';
import { jsonResponse, renderWithClient, stubFetch } from '../../test-utils';
import { ruleFixture } from './alert-fixtures';

describe('rule editor', () => {
  it('says what is wrong with each field and sends nothing until it is fixed', async () => {
    const calls = stubFetch(() => jsonResponse({}));
    const user = userEvent.setup();
    renderWithClient(<RuleEditor rule={null} onDone={() => {}} />);
    await user.clear(screen.getByTestId('rule-codes'));
    await user.type(screen.getByTestId('rule-codes'), '1011, 99999');
    await user.clear(screen.getByTestId('rule-for'));
    await user.click(screen.getByTestId('rule-save'));

    expect(screen.getByTestId('field-error-name')).toHaveTextContent('give the rule a name, for example "Error spike on chat"');
    expect(screen.getByTestId('field-error-codes')).toHaveTextContent('not close codes: 99999');
    expect(screen.getByTestId('field-error-forMinutes')).toHaveTextContent('required (minutes)');
    expect(screen.getByTestId('rule-form-errors')).toHaveTextContent('3 fields need fixing before the rule can be backtested or saved.');
    expect(screen.getByTestId('rule-codes')).toHaveAttribute('aria-invalid', 'true');
    await user.click(screen.getByTestId('rule-backtest'));
    expect(calls).toEqual([]);

    // Typing in a field clears its error.
    await user.type(screen.getByTestId('rule-name'), 'x');
    expect(screen.queryByTestId('field-error-name')).toBeNull();
  });

  it('creates the rule as typed, with units converted to the API (ms, 0-1 shares)', async () => {
    const calls = stubFetch((call) => jsonResponse({ ...ruleFixture({ id: 'new', builtin: null }), ...(call.body as object) }, 201));
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWithClient(<RuleEditor rule={null} onDone={onDone} />);
    await user.type(screen.getByTestId('rule-name'), 'Chat errors');
    await user.selectOptions(screen.getByTestId('rule-condition'), 'ratio');
    await user.clear(screen.getByTestId('rule-ratio'));
    await user.type(screen.getByTestId('rule-ratio'), '7.5');
    await user.type(screen.getByTestId('rule-service'), 'chat');
    await user.clear(screen.getByTestId('rule-for'));
    await user.type(screen.getByTestId('rule-for'), '0.5');
    await user.selectOptions(screen.getByTestId('rule-severity'), 'critical');
    await user.click(screen.getByTestId('rule-save'));

    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(calls.map((c) => [c.method, c.path])).toEqual([['POST', '/api/v1/alert-rules']]);
    expect(calls[0]?.body).toEqual({
      name: 'Chat errors',
      enabled: true,
      selector: { codes: [1011], service: 'chat' },
      condition: { type: 'ratio', above: 0.075, windowMinutes: 5, minCount: 5 },
      forMs: 30_000,
      keepFiringForMs: 300_000,
      severity: 'critical',
      groupBy: 'service',
      repeatIntervalMs: null,
      targetIds: null,
    });
  });

  it("shows the collector's refusal with its code and what to do", async () => {
    stubFetch((call) =>
      call.method === 'PUT'
        ? jsonResponse({ error: { code: 'SESSION_REQUIRED', message: 'changes need a signed-in dashboard session; read tokens and tickets only read' } }, 403)
        : jsonResponse({}),
    );
    const user = userEvent.setup();
    renderWithClient(<RuleEditor rule={ruleFixture()} onDone={() => {}} />);
    expect(screen.getByTestId('rule-name')).toHaveValue('Error spike');
    await user.click(screen.getByTestId('rule-save'));
    const error = await screen.findByTestId('rule-save-error');
    expect(error).toHaveTextContent('Could not save the rule: changes need a signed-in dashboard session; read tokens and tickets only read (SESSION_REQUIRED)');
    expect(error).toHaveTextContent('Changes need the signed-in admin session of this dashboard');
  });

  it('backtests the unsaved rule over the last 24 h and says how often it would have fired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const calls = stubFetch((call) => {
      if (call.path === '/api/v1/alert-rules/backtest') {
        return jsonResponse({
          episodes: [
            { start: NOW - 5 * 3_600_000, end: NOW - 5 * 3_600_000 + 600_000, group: { service: 'chat' }, peak: 40, baseline: 2 },
            { start: NOW - 3_600_000, end: null, group: { service: 'feed' }, peak: 12, baseline: 1 },
          ],
          minutesEvaluated: 2880,
        });
      }
      return jsonResponse(categoryTimeseriesFixture());
    });
    const user = userEvent.setup();
    renderWithClient(<RuleEditor rule={null} onDone={() => {}} />);
    await user.type(screen.getByTestId('rule-name'), 'Try it');
    await user.click(screen.getByTestId('rule-backtest'));

    expect(await screen.findByTestId('backtest-summary')).toHaveTextContent(
      'This rule would have fired 2 times in the last 24 h (complete minutes only; 2880 one-minute evaluations).',
    );
    const backtest = calls.find((c) => c.path === '/api/v1/alert-rules/backtest');
    expect(backtest?.body).toEqual(expect.objectContaining({ from: NOW - 86_400_000, to: NOW, rule: expect.objectContaining({ name: 'Try it' }) }));
    const rows = within(screen.getByTestId('backtest-episodes')).getAllByTestId('backtest-episode');
    expect(rows.map((r) => r.textContent)).toEqual([
      'chat2026-11-26 05:002026-11-26 05:1040 closes/min2 closes/min',
      'feed2026-11-26 09:00still firing at the end12 closes/min1 closes/min',
    ]);
    // The chart of the watched closes is read for exactly the backtested range, with the rule's codes.
    const series = calls.find((c) => c.path === '/api/v1/stats/timeseries');
    expect(Object.fromEntries(new URLSearchParams(series?.search))).toEqual({ from: String(NOW - 86_400_000), to: String(NOW), code: '1011', groupBy: 'code' });
    vi.useRealTimers();
  });
});

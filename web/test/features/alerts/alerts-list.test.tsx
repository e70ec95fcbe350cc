import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { ActiveAlerts } from '@/features/alerts/components/active-alerts';
import { AlertHistory } from '@/features/alerts/components/alert-history';
import { TargetsList } from '@/features/alerts/components/notification-targets';
import { RulesList } from '@/features/alerts/components/rules-list';

import { NOW } from '../../fixtures';
import { renderWithClient } from '../../test-utils';
import { activeFixture, episodeFixture, ruleFixture, targetFixture } from './alert-fixtures';

describe('alerts lists', () => {
  it('shows each active alert: state, since when, value against baseline with its unit, named codes, silenced', () => {
    render(
      <ActiveAlerts
        active={[activeFixture(), activeFixture({ ruleId: 'rule-2', ruleName: 'Again spike', severity: 'warning', state: 'pending', episode: null, silenced: true, group: { service: 'feed' } })]}
        rules={[ruleFixture()]}
        now={NOW}
      />,
    );
    const [firing, pending] = screen.getAllByTestId('active-alert');
    expect(firing).toHaveAttribute('data-state', 'firing');
    expect(firing).toHaveTextContent('firing since 2026-11-26 09:50');
    expect(firing).toHaveTextContent('10 min ago');
    expect(within(firing as HTMLElement).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      'firing',
      'Error spike critical',
      'chat',
      'firing since 2026-11-26 09:5010 min ago',
      '42 closes/min',
      '1.5 closes/min',
      '1011 Internal Error (Error) db timeout after {n} ms \u00d7 30 closes1011 Internal Error (Error) (no reason) \u00d7 12 closes',
    ]);
    expect(pending).toHaveTextContent('pending since 2026-11-26 09:47');
    expect(within(pending as HTMLElement).getByTestId('silenced')).toHaveTextContent('silenced');
    expect(pending).toHaveTextContent('known once it fires');
  });

  it('says how alerts appear when none is active', () => {
    render(<ActiveAlerts active={[]} rules={[]} now={NOW} />);
    expect(screen.getByTestId('active-empty')).toHaveTextContent('No alert is pending or firing.');
  });

  it('lists episodes with their end, duration, and the rule as it fired', () => {
    render(
      <AlertHistory
        episodes={[episodeFixture(), episodeFixture({ id: 'ep-0', startedAt: NOW - 50 * 60_000, endedAt: NOW - 44 * 60_000, rule: ruleFixture({ condition: { type: 'ratio', above: 0.05, windowMinutes: 5, minCount: 10 } }), peak: 0.125, baseline: 0.05 })]}
        windowLabel="last 1 h"
        now={NOW}
      />,
    );
    const [open, closed] = screen.getAllByTestId('episode-row');
    expect(open).toHaveTextContent('still firing (10 min)');
    expect(closed).toHaveTextContent('2026-11-26 09:16after 6 min');
    expect(closed).toHaveTextContent('12.5% of closes');
    expect(closed).toHaveTextContent('Watching 1011 Internal Error (Error); more than 5% of all closes over 5 min (at least 10 closes); for 3 min.');
  });

  it('says how to fill the history, the rules and the targets when they are empty', () => {
    renderWithClient(
      <>
        <AlertHistory episodes={[]} windowLabel="last 6 h" now={NOW} />
        <RulesList rules={[]} onEdit={() => {}} onSilence={() => {}} onCreate={() => {}} />
        <TargetsList targets={[]} />
      </>,
    );
    expect(screen.getByTestId('history-empty')).toHaveTextContent('No alert fired in the last 6 h. Widen the time range');
    expect(screen.getByTestId('rules-empty')).toHaveTextContent('No alert rules: nothing will tell you about a spike of closes.Create one (for example an anomaly on 1011 Internal Error per service');
    expect(screen.getByTestId('targets-empty')).toHaveTextContent('No notification targets yet: alerts show here and on the overview, but nobody is told. Add a webhook');
  });

  it('lists rules with what they watch (codes named), when they fire, and their timing', () => {
    renderWithClient(
      <RulesList
        rules={[ruleFixture(), ruleFixture({ id: 'r2', name: 'Overload on feed', builtin: null, enabled: false, selector: { category: 'overload', service: 'feed' }, condition: { type: 'threshold', measure: 'count', windowMinutes: 5, above: 100 }, forMs: 0, groupBy: 'none', repeatIntervalMs: 3_600_000 })]}
        onEdit={() => {}}
        onSilence={() => {}}
        onCreate={() => {}}
      />,
    );
    const [builtin, custom] = screen.getAllByTestId('rule-row');
    expect(builtin).toHaveTextContent('Error spikebuilt infor 3 min, keeps firing 5 min, per service, no repeat');
    expect(builtin).toHaveTextContent('1011 Internal Error (Error)');
    expect(builtin).toHaveTextContent('anomaly: robust z-score \u2265 3.5 against the last 60 min (at least 5 closes/min and 2% of the minute\'s closes)');
    expect(custom).toHaveAttribute('data-enabled', 'false');
    expect(custom).toHaveTextContent('fires at once, keeps firing 5 min, one alert for everything, repeats every 1 h');
    expect(custom).toHaveTextContent('every Overload / restart close on service feed');
    expect(custom).toHaveTextContent('more than 100 closes in 5 min');
  });

  it('shows a target with its last delivery attempt', () => {
    renderWithClient(<TargetsList targets={[targetFixture({ lastAttempt: { deliveryId: 'd1', event: 'firing', at: NOW, status: 500, error: 'HTTP 500', durationMs: 35 } })]} />);
    expect(screen.getByTestId('target-row')).toHaveTextContent('#ops Slack incoming webhook');
    expect(screen.getByTestId('target-row')).toHaveTextContent('last attempt 2026-11-26 10:00:00.000: HTTP 500');
    expect(screen.getByTestId('target-row')).not.toHaveTextContent('HTTP 500: HTTP 500');
  });
});

import type { BacktestResult, EpisodeView, Selector } from '@closewatch/server/api-types';

import type { TimeBand } from '@/components/charts/types';
import { EMPTY_FILTERS, type Filters } from '@/features/filters/lib/view-state';
import { formatClock, formatDateTime } from '@/lib/format';

import { describeAlertGroup } from './describe-rule';

type BacktestEpisode = BacktestResult['episodes'][number];

function span(start: number, end: number | null): string {
  return end === null ? `${formatDateTime(start)} \u2013 still firing` : `${formatDateTime(start)} \u2013 ${formatClock(end)}`;
}

/** Fired episodes as chart bands, from when they fired to when they resolved (or `now`). */
export function episodeBands(episodes: readonly EpisodeView[], now: number): TimeBand[] {
  return episodes.map((e) => ({
    key: e.id,
    from: e.startedAt,
    to: e.endedAt ?? now,
    label: `${e.ruleName} on ${describeAlertGroup(e.group)}: ${span(e.startedAt, e.endedAt)}`,
    tone: e.severity === 'critical' ? 'critical' : e.severity === 'info' ? 'info' : 'warning',
  }));
}

/** A backtest's episodes as chart bands. */
export function backtestBands(episodes: readonly BacktestEpisode[], to: number): TimeBand[] {
  return episodes.map((e, i) => ({
    key: `bt-${i}`,
    from: e.start,
    to: e.end ?? to,
    label: `Would have fired on ${describeAlertGroup(e.group)}: ${span(e.start, e.end)}`,
    tone: 'warning',
  }));
}

/**
 * The episodes a chart of `filters` should mark: those of a group the filters do not
 * exclude (an alert on service "feed" says nothing about a chart of service "chat").
 */
export function episodesForFilters(episodes: readonly EpisodeView[], filters: Filters): EpisodeView[] {
  return episodes.filter(
    (e) =>
      (filters.service === null || e.group.service === undefined || e.group.service === filters.service) &&
      (filters.route === null || e.group.route === undefined || e.group.route === filters.route),
  );
}

/** The dashboard filters that show what a rule selector watches. */
export function selectorFilters(selector: Selector): Filters {
  return {
    ...EMPTY_FILTERS,
    service: selector.service ?? null,
    route: selector.route ?? null,
    instance: selector.instance ?? null,
    codes: selector.codes ?? [],
    category: selector.category ?? null,
    label: selector.label ?? null,
  };
}

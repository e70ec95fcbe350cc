import type { CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { Storage } from '../storage/storage.js';
import { MINUTE_MS, type TimeWindow } from '../storage/types.js';
import { BASELINE_MINUTES, evaluate } from './detect.js';
import type { AlertGroup } from './group.js';
import type { RuleSpec } from './rule.js';
import { addReconnectPeaks, fitsCodeMatrix, fromCodeMatrix, readRuleMinutes, seriesAt, type RuleMinutes } from './rule-data.js';
import { step, type Step } from './state-machine.js';

const DAY_MS = 86_400_000;

/** Longest range a backtest replays. */
export const MAX_BACKTEST_MS = 7 * DAY_MS;

export interface BacktestEpisode {
  /** When it would have fired and resolved (null: still firing at the end of the range). */
  start: number;
  end: number | null;
  group: AlertGroup;
  /** The highest compared value while firing, and the baseline when it fired. */
  peak: number;
  baseline: number;
}

/**
 * Replays a rule (saved or not) over a past range, one evaluation per minute, with the
 * evaluator's own condition and state machine, and returns the episodes it would have
 * produced, with the team's code names (`names`) as the evaluator has them. Nothing is
 * stored or sent.
 */
export async function backtest(db: Storage, rule: RuleSpec, range: TimeWindow, names?: CustomCloseCodes): Promise<{ episodes: BacktestEpisode[]; minutes: number }> {
  const from = Math.ceil(range.from / MINUTE_MS) * MINUTE_MS;
  const to = Math.floor(range.to / MINUTE_MS) * MINUTE_MS;
  const windows: TimeWindow[] = [
    { from: from - (BASELINE_MINUTES + 1) * MINUTE_MS, to },
    { from: from - DAY_MS - (BASELINE_MINUTES / 2) * MINUTE_MS, to: to - DAY_MS + (BASELINE_MINUTES / 2) * MINUTE_MS },
  ];
  let minutes: RuleMinutes = new Map();
  if (fitsCodeMatrix(rule)) {
    for (const w of windows) minutes = fromCodeMatrix(rule, await db.alertSeries.codeMinutes(w), minutes, names);
  } else {
    minutes = await readRuleMinutes(db.alertSeries, rule, windows, names);
  }
  if (rule.condition.type === 'reconnect-storm') await addReconnectPeaks(db.reconnects, rule, windows[0] as TimeWindow, minutes);
  const historyFrom = await db.alertSeries.firstMinute();
  const episodes: BacktestEpisode[] = [];
  let evaluated = 0;
  for (const [key, data] of minutes) {
    let state: Step['next'] | undefined;
    let open: BacktestEpisode | null = null;
    for (let end = from + MINUTE_MS; end <= to; end += MINUTE_MS) {
      evaluated += 1;
      const evaluation = evaluate(rule.condition, seriesAt(data, end, historyFrom));
      const moved = step(state ?? undefined, evaluation.holds, end, rule, { ruleId: 'backtest', groupKey: key });
      if (moved.began) {
        open = { start: end, end: null, group: data.group, peak: evaluation.value, baseline: evaluation.baseline };
        episodes.push(open);
      } else if (open !== null && moved.next?.state === 'firing') {
        open.peak = Math.max(open.peak, evaluation.value);
      }
      if (moved.ended && open !== null) {
        open.end = end;
        open = null;
      }
      state = moved.next;
    }
  }
  episodes.sort((a, b) => a.start - b.start || JSON.stringify(a.group).localeCompare(JSON.stringify(b.group)));
  return { episodes, minutes: evaluated };
}

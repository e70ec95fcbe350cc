import { CATEGORY_LABELS, CLOSE_CATEGORIES, describeCloseCode, type CloseCategory, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { CodeCount, StatsReader } from '../storage/sql/stats-reader.js';
import { previousWindow, windowMinutes, type TimeWindow } from '../storage/time-window.js';
import type { ReadPath } from '../storage/types.js';
import { addToSeverity, byCountDesc, codeFields, codeKey, emptySeverity, share } from './code-info.js';
import type { ParsedQuery } from './filters.js';
import type { PeriodFigures, Summary } from './schemas.js';
import { splitTop } from './top.js';

function periodFigures(window: TimeWindow, counts: readonly CodeCount[]): PeriodFigures {
  const s = emptySeverity();
  for (const c of counts) addToSeverity(s, c.code, c.count);
  const minutes = windowMinutes(window);
  return {
    window,
    total: s.total,
    perMinute: s.total / minutes,
    abnormal: { count: s.abnormal, share: share(s.abnormal, s.total) },
    error: { count: s.error, perMinute: s.error / minutes, share: share(s.error, s.total) },
    again: { count: s.again, perMinute: s.again / minutes, share: share(s.again, s.total) },
  };
}

/** `GET /stats/summary`: headline figures of a window and of the period of equal length before it. */
export async function querySummary(stats: StatsReader, query: ParsedQuery, top: number, names?: CustomCloseCodes): Promise<{ body: Summary; path: ReadPath }> {
  const previous = previousWindow(query.window);
  const [current, before] = await Promise.all([stats.codeCounts(query.window, query.filters), stats.codeCounts(previous, query.filters)]);
  const figures = periodFigures(query.window, current.rows);

  const perCategory = new Map<CloseCategory, number>();
  for (const c of current.rows) {
    const category = describeCloseCode(c.code, names).category;
    perCategory.set(category, (perCategory.get(category) ?? 0) + c.count);
  }
  const codes = splitTop(
    current.rows.filter((c) => c.count > 0).sort(byCountDesc((c) => c.count, (c) => codeKey(c.code))),
    top,
    (c) => c.count,
  );
  const byCode = codes.top.map((c) => ({ ...codeFields(c.code, names), count: c.count, share: share(c.count, figures.total) }));
  const byCategory = CLOSE_CATEGORIES.filter((c) => (perCategory.get(c) ?? 0) > 0).map((category) => ({
    category,
    label: CATEGORY_LABELS[category],
    count: perCategory.get(category) ?? 0,
  }));
  return {
    body: { ...figures, byCode, otherCodes: { codes: codes.other.groups, count: codes.other.count }, byCategory, previous: periodFigures(previous, before.rows) },
    path: current.path,
  };
}

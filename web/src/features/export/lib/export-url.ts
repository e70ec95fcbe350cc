import { apiParams, type Filters, type TimeRange } from '@/features/filters/lib/view-state';
import { collectorBase } from '@/lib/api-client';

/** What `GET /api/v1/export.csv` can export: the events, or one panel's aggregate. */
export type ExportKind = 'events' | 'timeseries' | 'summary' | 'reasons' | 'breakdown' | 'reconnects';

export interface ExportView {
  kind: ExportKind;
  range: TimeRange;
  filters: Filters;
  /** The panel's own parameters (groupBy, bucketMs, limit...), as its API read sends them. */
  extra?: Record<string, string | number | undefined>;
}

/**
 * The export of exactly what a view shows: the same window and filters the panel's read
 * sends (apiParams), resolved at `now` so a sliding window ends when the export is asked
 * for, plus the panel's own parameters. The collector parses them with the same parser.
 */
export function exportCsvUrl({ kind, range, filters, extra = {} }: ExportView, now: number): string {
  const params = apiParams(range, filters, now);
  params.set('kind', kind);
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) params.set(key, String(value));
  return `${collectorBase()}/api/v1/export.csv?${params.toString()}`;
}

import { formatCloseCode, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { Summary } from '@closewatch/server/api-types';

import { categoryColor } from '@/components/charts/palette';
import type { ChartRow, ChartSeries } from '@/components/charts/types';
import { codeKey } from '@/lib/code-key';

export interface CodeDistributionRow {
  key: string;
  code: number | null;
  label: string;
  count: number;
  share: number;
  color: string;
}

/** Codes by count, largest first; equal counts in code order so the list never jitters. */
export function codeDistributionRows(byCode: Summary['byCode'], names?: CustomCloseCodes): CodeDistributionRow[] {
  return byCode
    .filter((c) => c.count > 0)
    .map((c) => ({
      key: codeKey(c.code),
      code: c.code,
      label: formatCloseCode(c.code, names),
      count: c.count,
      share: c.share,
      color: categoryColor(c.category),
    }))
    .sort((a, b) => b.count - a.count || (a.code ?? Number.MAX_SAFE_INTEGER) - (b.code ?? Number.MAX_SAFE_INTEGER));
}

export const CODE_COUNT_SERIES: ChartSeries = { key: 'count', label: 'Closures', color: 'var(--accent)' };

/** Bar-chart rows: one bar per code, labelled with its registry name. */
export function codeDistributionChartRows(rows: readonly CodeDistributionRow[]): Array<ChartRow<string>> {
  return rows.map((r) => ({ x: r.label, values: { count: r.count } }));
}

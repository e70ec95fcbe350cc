import { CATEGORY_LABELS, isCloseCategory, type CloseCategory } from '@closewatch/sdk/close-codes';
import type { Timeseries } from '@closewatch/server/api-types';
import { useState } from 'react';

import { StackedAreaChart } from '@/components/charts/stacked-area-chart';
import type { TimeBand } from '@/components/charts/types';
import { Panel } from '@/components/ui/panel';
import { useAlerts } from '@/features/alerts/api/get-alerts';
import { episodeBands, episodesForFilters } from '@/features/alerts/lib/episode-bands';
import { ExportCsvLink } from '@/features/export/components/export-csv-link';
import { QueryView } from '@/components/ui/query-view';
import { describeRange, rangeDurationMs, type Filters, type TimeRange } from '@/features/filters/lib/view-state';
import { useCustomCodeNames } from '@/lib/code-names';
import { formatClock, formatDateTime } from '@/lib/format';

import { useTimeseries } from '../api/get-timeseries';
import { describeBucket, drillDownFilters, toStackedRows } from '../lib/shape-timeseries';

interface ClosuresChartProps {
  response: Timeseries;
  range: TimeRange;
  /** Set when showing the codes of one category. */
  category: CloseCategory | null;
  onSelectCategory?: ((category: CloseCategory) => void) | undefined;
  /** Alert episodes of the window, shaded from when they fired to when they resolved. */
  bands?: readonly TimeBand[];
}

/** The stacked chart for one timeseries response (categories, or one category's codes). */
export function ClosuresChart({ response, range, category, onSelectCategory, bands = [] }: ClosuresChartProps) {
  const { rows, series } = toStackedRows(response, useCustomCodeNames());
  const longRange = rangeDurationMs(range) > 24 * 3_600_000;
  const unitCaption = `closures per ${describeBucket(response.bucketMs)}, ${describeRange(range)}`;
  const id = category === null ? 'closures-by-category' : 'closures-by-code';
  if (series.length === 0) {
    return (
      <p className="empty-hint">
        No closures {category ? `in ${CATEGORY_LABELS[category]} ` : ''}in the {describeRange(range)}. Widen the range or
        clear filters; with live on, new closures appear here within a second.
      </p>
    );
  }
  return (
    <StackedAreaChart
      id={id}
      caption={`${category ? `${CATEGORY_LABELS[category]} closures by code` : 'Closures by category'} (${unitCaption})`}
      rows={rows}
      series={series}
      unit="closures"
      formatTick={(t) => (longRange ? formatDateTime(t).slice(5) : formatClock(t))}
      formatTime={(t) => `${formatDateTime(t)} (+${describeBucket(response.bucketMs)})`}
      onSeriesSelect={
        onSelectCategory
          ? (key) => {
              if (isCloseCategory(key)) onSelectCategory(key);
            }
          : undefined
      }
      selectHint="Show the codes of"
      bands={bands}
      bandsTitle="Alerts that fired in this window"
    />
  );
}

interface ClosuresOverTimeProps {
  range: TimeRange;
  filters: Filters;
}

/** Closures over time by category; choosing a category drills down to its codes. */
export function ClosuresOverTime({ range, filters }: ClosuresOverTimeProps) {
  const [drill, setDrill] = useState<CloseCategory | null>(null);
  const groupBy = drill === null ? 'category' : 'code';
  const query = useTimeseries(
    drill === null
      ? { range, filters, groupBy: 'category' }
      : { range, filters: drillDownFilters(filters, drill), groupBy: 'code' },
  );
  const bucket = query.data ? describeBucket(query.data.bucketMs) : 'bucket';
  // Alert episodes are marks on the chart, not its data: if they fail to load, the chart still shows.
  const alerts = useAlerts({ range });
  const bands = alerts.data ? episodeBands(episodesForFilters(alerts.data.history, filters), Date.now()) : [];
  const exportFilters = drill === null ? filters : drillDownFilters(filters, drill);
  return (
    <Panel
      title={drill === null ? 'Closures over time by category' : `${CATEGORY_LABELS[drill]}: closures over time by code`}
      caption={`closures per ${bucket}, ${describeRange(range)}${drill === null ? ' \u00b7 choose a category to see its codes' : ''}`}
      actions={
        <>
          {drill !== null && (
            <button type="button" className="button" onClick={() => setDrill(null)}>
              {'\u2190'} All categories
            </button>
          )}
          <ExportCsvLink
            kind="timeseries"
            range={range}
            filters={exportFilters}
            extra={{ groupBy }}
            what="the closures over time"
            testId="export-timeseries"
          />
        </>
      }
      testId="closures-over-time"
    >
      <QueryView query={query} what="closures over time" accept={(data) => data.groupBy === groupBy}>
        {(data) => (
          <ClosuresChart
            response={data}
            range={range}
            category={drill}
            onSelectCategory={drill === null ? setDrill : undefined}
            bands={bands}
          />
        )}
      </QueryView>
    </Panel>
  );
}

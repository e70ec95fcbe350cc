import { ErrorMessage } from '@/components/ui/error-message';
import { Panel } from '@/components/ui/panel';
import { QueryView } from '@/components/ui/query-view';
import { ExportCsvLink } from '@/features/export/components/export-csv-link';
import {
  describeRange,
  hasFilters,
  type CodeFilter,
  type Filters,
  type ViewState,
} from '@/features/filters/lib/view-state';

import { useBreakdown } from '../api/get-breakdown';
import { useLifetimes } from '../api/get-lifetimes';
import { useReasons } from '../api/get-reasons';
import { useSummary } from '../api/get-summary';
import { ClosuresOverTime } from './closures-over-time';
import { CodeDistribution } from './code-distribution';
import { FirstEventGuide } from './first-event-guide';
import { LifetimeHistogram } from './lifetime-histogram';
import { ServiceBreakdown } from './service-breakdown';
import { SummaryTiles } from './summary-tiles';
import { TopReasons } from './top-reasons';

interface OverviewProps {
  view: ViewState;
  onFiltersChange: (update: (filters: Filters) => Filters) => void;
  onShowLastWeek: () => void;
}

function ReasonsPanel({ view, windowLabel }: { view: ViewState; windowLabel: string }) {
  const query = useReasons({ range: view.range, filters: view.filters, limit: 10 });
  return (
    <Panel
      title="Top reasons"
      caption={`closures per reason template, ${windowLabel}`}
      testId="reasons-panel"
      actions={<ExportCsvLink kind="reasons" range={view.range} filters={view.filters} extra={{ limit: 10 }} what="the top reasons" testId="export-reasons" />}
    >
      <QueryView query={query} what="the top reasons">
        {(data) => <TopReasons reasons={data} windowLabel={windowLabel} />}
      </QueryView>
    </Panel>
  );
}

function BreakdownPanel({ view, windowLabel, onFiltersChange }: OverviewProps & { windowLabel: string }) {
  const query = useBreakdown({ range: view.range, filters: view.filters });
  return (
    <Panel
      title="By service"
      caption={`closures, ${windowLabel}`}
      testId="breakdown-panel"
      className="panel-wide"
      actions={<ExportCsvLink kind="breakdown" range={view.range} filters={view.filters} what="the service breakdown" testId="export-breakdown" />}
    >
      <QueryView query={query} what="the service breakdown">
        {(data) => (
          <ServiceBreakdown
            breakdown={data}
            windowLabel={windowLabel}
            onFilter={(field, value, service) =>
              onFiltersChange((f) => (field === 'service' ? { ...f, service: value } : { ...f, service, [field]: value }))
            }
          />
        )}
      </QueryView>
    </Panel>
  );
}

function LifetimesPanel({ view, windowLabel }: { view: ViewState; windowLabel: string }) {
  const query = useLifetimes({ range: view.range, filters: view.filters });
  return (
    <Panel
      title="Connection lifetime"
      caption={`closures per lifetime bucket, by code, ${windowLabel}`}
      testId="lifetimes-panel"
      className="panel-wide"
    >
      <QueryView query={query} what="connection lifetimes">
        {(data) => <LifetimeHistogram lifetimes={data} windowLabel={windowLabel} />}
      </QueryView>
    </Panel>
  );
}

/** The overview: headline tiles, then the charts that explain them. */
export function Overview(props: OverviewProps) {
  const { view, onFiltersChange, onShowLastWeek } = props;
  const { range, filters } = view;
  const windowLabel = describeRange(range);
  const summary = useSummary({ range, filters });
  const addCode = (code: CodeFilter) =>
    onFiltersChange((f) => (f.codes.includes(code) ? f : { ...f, codes: [...f.codes, code] }));

  const empty = summary.data !== undefined && !summary.isPlaceholderData && summary.data.total === 0 && !hasFilters(filters);
  if (empty && summary.data) {
    return (
      <FirstEventGuide
        windowLabel={windowLabel}
        previousTotal={summary.data.previous.total}
        live={view.live}
        onWiden={range.kind === 'relative' && range.preset === '7d' ? undefined : onShowLastWeek}
      />
    );
  }

  // Without a summary the other panels would fail the same way: say it once.
  if (summary.isError && summary.data === undefined) {
    return (
      <section className="panel" data-testid="overview-error">
        <ErrorMessage error={summary.error} what="the summary" onRetry={() => void summary.refetch()} />
      </section>
    );
  }

  return (
    <div className="overview">
      <QueryView query={summary} what="the summary">
        {(data) => (
          <>
            <SummaryTiles summary={data} range={range} />
            {data.total === 0 && (
              <p className="callout" data-testid="no-match">
                No closures match these filters in the {windowLabel}. Clear a filter or widen the range.
              </p>
            )}
          </>
        )}
      </QueryView>
      <div className="grid">
        <ClosuresOverTime range={range} filters={filters} />
        <Panel
          title="Distribution by code"
          caption={`closures and share of all closures, ${windowLabel}`}
          testId="codes-panel"
          actions={<ExportCsvLink kind="summary" range={range} filters={filters} what="the summary by code" testId="export-summary" />}
        >
          <QueryView query={summary} what="the code distribution">
            {(data) => <CodeDistribution byCode={data.byCode} windowLabel={windowLabel} onFilterCode={addCode} />}
          </QueryView>
        </Panel>
        <ReasonsPanel view={view} windowLabel={windowLabel} />
        <BreakdownPanel {...props} windowLabel={windowLabel} />
        <LifetimesPanel view={view} windowLabel={windowLabel} />
      </div>
    </div>
  );
}

import type { Reconnects } from '@closewatch/server/api-types';
import type { ReactNode } from 'react';

import { Panel } from '@/components/ui/panel';
import { QueryView } from '@/components/ui/query-view';
import { ExportCsvLink } from '@/features/export/components/export-csv-link';
import { describeRange, hasFilters, type ViewState } from '@/features/filters/lib/view-state';
import { formatCountOf, formatDuration } from '@/lib/format';

import { useReconnects } from '../api/get-reconnects';
import { ADVISING_CODES, describeAdvisingCodes, describeFollowed } from '../lib/reconnect-figures';
import { CodesTable } from './codes-table';
import { DelayHistogramChart } from './delay-histogram-chart';
import { HeadlineFigures } from './headline-figures';
import { OffendersTable } from './offenders-table';
import { ReconnectsEmpty } from './reconnects-empty';
import { StormChart } from './storm-chart';

interface ReconnectsPageProps {
  view: ViewState;
  onClearFilters: () => void;
  onShowLastWeek: () => void;
}

function Section({ title, caption, testId, wide = false, children }: { title: string; caption: string; testId: string; wide?: boolean; children: ReactNode }) {
  return (
    <section className={`reconnects-section${wide ? ' is-wide' : ''}`} data-testid={testId}>
      <h3 className="reconnects-section-title">{title}</h3>
      <p className="panel-caption">{caption}</p>
      {children}
    </section>
  );
}

function ReconnectsReport({ reconnects, windowLabel }: { reconnects: Reconnects; windowLabel: string }) {
  const after = describeFollowed(reconnects, windowLabel);
  return (
    <>
      <HeadlineFigures reconnects={reconnects} windowLabel={windowLabel} />
      {reconnects.reconnected === 0 && (
        <p className="callout" data-testid="none-returned">
          None of the {formatCountOf(reconnects.closes, 'closed clients')} has come back yet. A reconnect is counted once the
          client&rsquo;s next connection closes (connections are reported when they close), so clients still connected
          show up later. Clients are matched by the SDK&rsquo;s <code>clientKey</code>; senders without it cannot be
          matched.
        </p>
      )}
      <div className="reconnects-grid">
        <Section title="Reconnect delay" caption={`reconnects per delay bin, close to next open, ${after}`} testId="reconnect-delay-section">
          <DelayHistogramChart reconnects={reconnects} windowLabel={windowLabel} />
        </Section>
        <Section
          title="Storm after the last mass close"
          caption={`closes and reconnects per second around the second with the most closes in the ${windowLabel}`}
          testId="reconnect-storm-section"
        >
          <StormChart storm={reconnects.storm} windowLabel={windowLabel} />
        </Section>
        <Section title="By code" caption={`closes and clients per code, ${after}`} testId="reconnect-codes-section" wide>
          <CodesTable byCode={reconnects.byCode} />
        </Section>
        <Section
          title="Offenders"
          caption={`client populations that reconnect too fast (under ${formatDuration(reconnects.advisedDelayMs.from)}), ${after}`}
          testId="reconnect-offenders-section"
          wide
        >
          <OffendersTable offenders={reconnects.offenders} advisedFrom={formatDuration(reconnects.advisedDelayMs.from)} />
        </Section>
      </div>
    </>
  );
}

/**
 * Reconnects: after a server closed clients with 1001, 1012 or 1013, how long each
 * waited before it came back, whether the waits spread over the advised window, and
 * which populations stormed back. One read feeds the whole panel.
 */
export function ReconnectsPage({ view, onClearFilters, onShowLastWeek }: ReconnectsPageProps) {
  const { range, filters } = view;
  const windowLabel = describeRange(range);
  const query = useReconnects({ range, filters });
  const codes = query.data ? describeAdvisingCodes(query.data.byCode) : ADVISING_CODES;
  return (
    <Panel
      title="Reconnects"
      caption={`how clients came back after server-initiated ${codes} closes, ${windowLabel}`}
      testId="reconnects-panel"
      className="reconnects"
      actions={<ExportCsvLink kind="reconnects" range={range} filters={filters} what="the reconnects" testId="export-reconnects" />}
    >
      <QueryView query={query} what="the reconnects">
        {(data) =>
          data.closes === 0 ? (
            <ReconnectsEmpty
              windowLabel={windowLabel}
              lookaheadMs={data.lookaheadMs}
              filtered={hasFilters(filters)}
              onClearFilters={onClearFilters}
              onWiden={range.kind === 'relative' && range.preset === '7d' ? undefined : onShowLastWeek}
            />
          ) : (
            <ReconnectsReport reconnects={data} windowLabel={windowLabel} />
          )
        }
      </QueryView>
    </Panel>
  );
}

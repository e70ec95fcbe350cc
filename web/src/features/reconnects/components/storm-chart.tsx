import type { Reconnects } from '@closewatch/server/api-types';

import { BarChart } from '@/components/charts/bar-chart';
import { formatClock, formatCountOf, formatDate, formatRate } from '@/lib/format';

import { stormChartModel, stormVerdict } from '../lib/storm';

/**
 * The seconds around the last mass close: closes, then the reconnects they caused,
 * with the verdict in words (peak against the normal rate of new connections).
 */
export function StormChart({ storm, windowLabel }: { storm: Reconnects['storm']; windowLabel: string }) {
  if (storm === null) {
    return (
      <p className="empty-hint" data-testid="storm-empty">
        No mass close in the {windowLabel}: the collector found no burst of reconnect-advising closes. The next
        rolling restart shows up here.
      </p>
    );
  }
  const verdict = stormVerdict(storm);
  const model = stormChartModel(storm);
  const at = `${formatDate(storm.at)} ${formatClock(storm.at, true)}`;
  return (
    <>
      <p className={`storm-verdict tone-${verdict.tone}`} data-testid="storm-verdict" data-level={verdict.level}>
        <strong>{verdict.headline}:</strong> {verdict.text}.
      </p>
      <p className="panel-footnote" data-testid="storm-context">
        {formatCountOf(storm.closes, 'closes')} in the second at {at}; normal rate {formatRate(storm.baselinePerSecond)}{' '}
        connections opened/s over the {windowLabel}, outside the storm.
      </p>
      <BarChart
        id="reconnect-storm"
        caption={`Closes and reconnects per second around the mass close at ${at} (seconds from it)`}
        rows={model.rows}
        series={model.series}
        unit="connections"
        xLabel="Seconds from the mass close"
        sparseLabels
        legend
        rightAxisKeys={['closes']}
        bands={model.band ? [model.band] : []}
        bandsTitle="Peak"
      />
    </>
  );
}

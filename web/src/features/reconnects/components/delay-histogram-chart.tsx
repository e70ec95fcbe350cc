import type { Reconnects } from '@closewatch/server/api-types';

import { ChartLegend } from '@/components/charts/chart-legend';
import { Histogram } from '@/components/charts/histogram';
import { formatCountOf, formatDuration, formatShare } from '@/lib/format';

import { delayHistogramModel, zoneLegend } from '../lib/delay-histogram';
import { describeDelayWindow } from '../lib/reconnect-figures';

/** How long clients waited before they came back, with the advised window shaded. */
export function DelayHistogramChart({ reconnects, windowLabel }: { reconnects: Reconnects; windowLabel: string }) {
  const model = delayHistogramModel(reconnects);
  const legend = zoneLegend(reconnects, model);
  if (reconnects.reconnected === 0) {
    return (
      <p className="empty-hint" data-testid="delay-histogram-empty">
        No client came back within {formatDuration(reconnects.lookaheadMs)} of these closes, so there is no delay to
        chart yet.
      </p>
    );
  }
  return (
    <>
      <p className="compliance" data-testid="compliant-share">
        <strong>{formatShare(reconnects.compliantShare ?? 0)}</strong> of the{' '}
        {formatCountOf(reconnects.reconnected, 'reconnects')} waited {describeDelayWindow(reconnects.advisedDelayMs)}, the
        advised randomized delay.
      </p>
      <Histogram
        id="reconnect-delay"
        caption={`Reconnect delay (reconnects per delay bin, close to next open, after closes in the ${windowLabel})`}
        bins={model.bins}
        series={model.series}
        unit="reconnects"
        rowColors={model.rowColors}
        bands={model.band ? [model.band] : []}
        bandsTitle="Advised delay"
      />
      <ChartLegend series={legend.series} totals={legend.totals} unit="reconnects" />
    </>
  );
}

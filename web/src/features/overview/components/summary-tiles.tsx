import type { Summary } from '@closewatch/server/api-types';

import { CloseCodeLabel } from '@/components/ui/close-code-label';
import { describeRange, describeRangeIn, type TimeRange } from '@/features/filters/lib/view-state';
import { formatCount } from '@/lib/format';

import { buildTiles, type TileModel } from '../lib/tiles';

const ARROWS = { up: '\u25b2', down: '\u25bc', flat: '\u25cf' } as const;

function Tile({ tile, windowLabel }: { tile: TileModel; windowLabel: string }) {
  return (
    <article className="tile" data-testid={`tile-${tile.id}`}>
      <h3 className="tile-title">
        {tile.code !== undefined ? (
          <>
            <CloseCodeLabel code={tile.code} /> rate
          </>
        ) : (
          tile.title
        )}
      </h3>
      <p className="tile-main">
        <span className="tile-value" data-testid={`tile-${tile.id}-value`} data-value={tile.raw}>
          {tile.value}
        </span>{' '}
        <span className="tile-unit">{tile.unit}</span>
      </p>
      <p className="tile-window">{windowLabel}</p>
      <p className="tile-detail">{tile.detail}</p>
      <p className={`tile-change tone-${tile.change.tone}`} data-testid={`tile-${tile.id}-change`}>
        <span aria-hidden="true">{ARROWS[tile.change.direction]}</span> {tile.change.text}
      </p>
    </article>
  );
}

interface SummaryTilesProps {
  summary: Summary;
  range: TimeRange;
}

/** The headline numbers and the exact total they are computed from. */
export function SummaryTiles({ summary, range }: SummaryTilesProps) {
  const windowLabel = describeRange(range);
  return (
    <div className="summary">
      <div className="tiles">
        {buildTiles(summary, range).map((tile) => (
          <Tile key={tile.id} tile={tile} windowLabel={windowLabel} />
        ))}
      </div>
      <p className="summary-total">
        <strong data-testid="total-closures" data-value={summary.total}>
          {formatCount(summary.total)}
        </strong>{' '}
        {summary.total === 1 ? 'closure' : 'closures'} {describeRangeIn(range)}
        <span className="muted">
          {' '}
          ({formatCount(summary.previous.total)} in the period before)
        </span>
      </p>
    </div>
  );
}

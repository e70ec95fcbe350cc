import type { Reconnects } from '@closewatch/server/api-types';

import { reconnectFigures } from '../lib/reconnect-figures';

/** The headline numbers, each with its unit and the window it covers. */
export function HeadlineFigures({ reconnects, windowLabel }: { reconnects: Reconnects; windowLabel: string }) {
  return (
    <div className="figures" data-testid="reconnect-figures">
      {reconnectFigures(reconnects, windowLabel).map((f) => (
        <article key={f.id} className="tile figure" data-testid={`figure-${f.id}`}>
          <h3 className="tile-title">{f.title}</h3>
          <p className="tile-main">
            <span className={`tile-value tone-${f.tone}`} data-testid={`figure-${f.id}-value`} data-value={f.raw ?? ''}>
              {f.value}
            </span>{' '}
            <span className="tile-unit">{f.unit}</span>
          </p>
          <p className="tile-detail">{f.detail}</p>
          <p className="tile-window">{f.window}</p>
        </article>
      ))}
    </div>
  );
}

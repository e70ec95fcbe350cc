import { formatCountOf } from '@/lib/format';

import type { ChartSeries } from './types';

interface ChartLegendProps {
  series: readonly ChartSeries[];
  totals: Record<string, number>;
  unit: string;
  /** When given, every entry is a button (drill-down, filter...). */
  onSelect?: ((key: string) => void) | undefined;
  selectHint?: string | undefined;
}

/** A legend outside the SVG: keyboard-reachable, wraps on phones, shows each series' total. */
export function ChartLegend({ series, totals, unit, onSelect, selectHint }: ChartLegendProps) {
  return (
    <ul className="chart-legend">
      {series.map((s) => {
        const body = (
          <>
            <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
            <span className="chart-legend-label">{s.label}</span>
            <span className="chart-legend-total">
              {formatCountOf(totals[s.key] ?? 0, unit)}
            </span>
          </>
        );
        return (
          <li key={s.key}>
            {onSelect ? (
              <button
                type="button"
                className="chart-legend-item is-button"
                onClick={() => onSelect(s.key)}
                title={selectHint ? `${selectHint}: ${s.label}` : undefined}
              >
                {body}
              </button>
            ) : (
              <span className="chart-legend-item">{body}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

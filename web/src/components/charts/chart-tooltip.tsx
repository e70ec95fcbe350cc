import type { ReactNode } from 'react';

import { formatCount } from '@/lib/format';

export interface TooltipEntry {
  name?: string | number | undefined;
  value?: unknown;
  color?: string | undefined;
}

interface ChartTooltipContentProps {
  active?: boolean | undefined;
  label?: ReactNode;
  payload?: ReadonlyArray<TooltipEntry> | undefined;
  formatLabel: (label: ReactNode) => string;
  unit: string;
}

/** Tooltip body shared by every chart: heading, then series with non-zero values. */
export function ChartTooltipContent({ active, label, payload, formatLabel, unit }: ChartTooltipContentProps) {
  if (!active || !payload || payload.length === 0) return null;
  const entries = payload.filter((p) => typeof p.value === 'number' && p.value > 0);
  const total = entries.reduce((sum, p) => sum + (p.value as number), 0);
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title">{formatLabel(label)}</div>
      {entries.length === 0 ? (
        <div className="muted">No closures</div>
      ) : (
        <ul>
          {[...entries].reverse().map((p) => (
            <li key={String(p.name)}>
              <span className="swatch" style={{ background: p.color }} aria-hidden="true" />
              <span>{p.name}</span>
              <strong>{formatCount(p.value as number)}</strong>
            </li>
          ))}
        </ul>
      )}
      {entries.length > 1 && (
        <div className="chart-tooltip-total">
          Total <strong>{formatCount(total)}</strong> {unit}
        </div>
      )}
    </div>
  );
}

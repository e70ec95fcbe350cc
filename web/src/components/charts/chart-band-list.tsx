import { ReferenceArea } from 'recharts';

import type { BandTone } from './types';

interface ListedBand {
  key: string;
  from: string | number;
  to: string | number;
  label: string;
  tone: BandTone;
}

/**
 * A band's shading inside a chart. A function, not a component: recharts finds its
 * reference areas among the chart's direct children. On a category axis the area runs
 * from the start of bin `from` to the end of bin `to`.
 */
export function bandArea(band: ListedBand) {
  return (
    <ReferenceArea
      key={band.key}
      x1={band.from}
      x2={band.to}
      fill={`var(--band-${band.tone})`}
      fillOpacity={0.18}
      stroke={`var(--band-${band.tone})`}
      strokeOpacity={0.6}
      ifOverflow="hidden"
    />
  );
}

/** The shaded bands of a chart in words, under it: the SVG alone says nothing to a screen reader or a test. */
export function ChartBandList({ id, title, bands }: { id: string; title: string; bands: readonly ListedBand[] }) {
  if (bands.length === 0) return null;
  return (
    <ul className="chart-bands" aria-label={title} data-testid={`${id}-bands`}>
      {bands.map((b) => (
        <li key={b.key} className="chart-band" data-tone={b.tone} data-from={b.from} data-to={b.to}>
          <span className="chart-band-swatch" aria-hidden="true" />
          {b.label}
        </li>
      ))}
    </ul>
  );
}

import type { ChartRow, ChartSeries } from './types';

interface ChartDataTableProps {
  id: string;
  caption: string;
  xLabel: string;
  rows: ReadonlyArray<ChartRow>;
  series: readonly ChartSeries[];
  formatX: (x: string | number) => string;
}

/**
 * The numbers behind a chart, visually hidden: screen readers get the data the SVG
 * cannot give them, and end-to-end tests read exact values from `<id>-data`.
 */
export function ChartDataTable({ id, caption, xLabel, rows, series, formatX }: ChartDataTableProps) {
  return (
    // Hidden on a wrapper: a table will not shrink to the 1 px box, so hiding the
    // table itself would still widen the page's scroll area on phones.
    <div className="visually-hidden">
      <table data-testid={`${id}-data`}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{xLabel}</th>
            {series.map((s) => (
              <th scope="col" key={s.key} data-key={s.key}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={String(row.x)} data-x={String(row.x)}>
              <th scope="row">{formatX(row.x)}</th>
              {series.map((s) => (
                <td key={s.key} data-key={s.key}>
                  {row.values[s.key] ?? 0}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

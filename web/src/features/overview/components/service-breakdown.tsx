import type { Breakdown } from '@closewatch/server/api-types';
import { useState } from 'react';

import { BarChart } from '@/components/charts/bar-chart';
import type { ChartRow, ChartSeries } from '@/components/charts/types';
import { CloseCodeLabel } from '@/components/ui/close-code-label';
import { formatCount, formatShare } from '@/lib/format';

type Tab = 'services' | 'routes' | 'instances';

const SERIES: ChartSeries[] = [
  { key: 'abnormal', label: 'Abnormal (1006 + server errors)', color: 'var(--cat-abnormal)' },
  { key: 'again', label: '1013 Try Again Later (Again)', color: 'var(--cat-overload)' },
  { key: 'other', label: 'Other closures', color: 'var(--cat-normal)' },
];

/** Services as stacked bars; 1011 is part of "abnormal", so it is not stacked again. */
export function serviceChartRows(services: Breakdown['services']): Array<ChartRow<string>> {
  return [...services]
    .sort((a, b) => b.total - a.total)
    .slice(0, 10)
    .map((s) => ({
      x: s.service,
      values: { abnormal: s.abnormal, again: s.again, other: Math.max(0, s.total - s.abnormal - s.again) },
    }));
}

interface ServiceBreakdownProps {
  breakdown: Breakdown;
  windowLabel: string;
  onFilter?: ((field: 'service' | 'route' | 'instance', value: string, service: string) => void) | undefined;
}

function FilterButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="link-button" onClick={onClick} title={`Filter by ${label}`}>
      {label}
    </button>
  );
}

export function ServiceBreakdown({ breakdown, windowLabel, onFilter }: ServiceBreakdownProps) {
  const [tab, setTab] = useState<Tab>('services');
  if (breakdown.services.length === 0) {
    return (
      <p className="empty-hint">
        No closures in the {windowLabel}. Each SDK reports its <code>service</code> name (e.g.{' '}
        <code>instrument(wss, {'{'} service: &apos;chat&apos; {'}'})</code>); services show up here with their first
        closure.
      </p>
    );
  }
  const sorted = <T extends { total: number }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => b.total - a.total);
  const cell = (value: string, field: 'service' | 'route' | 'instance', service: string) =>
    onFilter ? <FilterButton label={value} onClick={() => onFilter(field, value, service)} /> : value;
  return (
    <>
      {breakdown.services.length > 1 && (
        <BarChart
          id="service-breakdown-chart"
          caption={`Closures by service (closures, ${windowLabel})`}
          rows={serviceChartRows(breakdown.services)}
          series={SERIES}
          unit="closures"
          orientation="horizontal"
          stacked
          xLabel="Service"
          labelWidth={120}
          height={Math.max(120, Math.min(10, breakdown.services.length) * 32 + 40)}
        />
      )}
      <div className="tabs" role="tablist" aria-label="Breakdown by">
        {(['services', 'routes', 'instances'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className="tab" onClick={() => setTab(t)}>
            {t[0]?.toUpperCase()}
            {t.slice(1)}
          </button>
        ))}
      </div>
      <div className="table-scroll" role="tabpanel">
        <table className="data-table" data-testid={`breakdown-${tab}`}>
          <thead>
            <tr>
              {tab !== 'services' && <th scope="col">Service</th>}
              <th scope="col">{tab === 'services' ? 'Service' : tab === 'routes' ? 'Route' : 'Instance'}</th>
              <th scope="col" className="num">Closures</th>
              <th scope="col" className="num">Abnormal</th>
              <th scope="col" className="num">Abnormal share</th>
              {tab !== 'instances' && (
                <>
                  <th scope="col" className="num"><CloseCodeLabel code={1011} compact /></th>
                  <th scope="col" className="num"><CloseCodeLabel code={1013} compact /></th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {tab === 'services' &&
              sorted(breakdown.services).map((s) => (
                <tr key={s.service} data-testid={`service-row-${s.service}`}>
                  <td>{cell(s.service, 'service', s.service)}</td>
                  <td className="num">{formatCount(s.total)}</td>
                  <td className="num">{formatCount(s.abnormal)}</td>
                  <td className="num">{formatShare(s.total === 0 ? 0 : s.abnormal / s.total)}</td>
                  <td className="num">{formatCount(s.error)}</td>
                  <td className="num">{formatCount(s.again)}</td>
                </tr>
              ))}
            {tab === 'routes' &&
              sorted(breakdown.routes).map((r) => (
                <tr key={`${r.service}\u0000${r.route}`}>
                  <td>{r.service}</td>
                  <td>{cell(r.route, 'route', r.service)}</td>
                  <td className="num">{formatCount(r.total)}</td>
                  <td className="num">{formatCount(r.abnormal)}</td>
                  <td className="num">{formatShare(r.total === 0 ? 0 : r.abnormal / r.total)}</td>
                  <td className="num">{formatCount(r.error)}</td>
                  <td className="num">{formatCount(r.again)}</td>
                </tr>
              ))}
            {tab === 'instances' &&
              sorted(breakdown.instances).map((i) => (
                <tr key={`${i.service}\u0000${i.instance}`}>
                  <td>{i.service}</td>
                  <td>{cell(i.instance, 'instance', i.service)}</td>
                  <td className="num">{formatCount(i.total)}</td>
                  <td className="num">{formatCount(i.abnormal)}</td>
                  <td className="num">{formatShare(i.total === 0 ? 0 : i.abnormal / i.total)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <p className="panel-footnote">Counts are closures in the {windowLabel}. Choose a name to filter by it.</p>
    </>
  );
}

// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { EMPTY_FILTERS } from '@/features/filters/lib/view-state';
import { describeBucket, drillDownFilters, seriesLabel, toStackedRows } from '@/features/overview/lib/shape-timeseries';

import { NOW, categoryTimeseriesFixture, codeTimeseriesFixture } from '../../fixtures';

describe('timeseries to stacked rows', () => {
  it('zero-fills every series in every bucket, including a bucket the server left out', () => {
    const { rows } = toStackedRows(categoryTimeseriesFixture());
    const t0 = NOW - 5 * 60_000;
    expect(rows).toEqual([
      { x: t0, values: { normal: 4, abnormal: 1 } },
      { x: t0 + 60_000, values: { normal: 0, abnormal: 6 } },
      { x: t0 + 120_000, values: { normal: 6, abnormal: 0 } },
      { x: t0 + 180_000, values: { normal: 0, abnormal: 0 } },
      { x: t0 + 240_000, values: { normal: 0, abnormal: 0 } },
    ]);
  });

  it('orders categories as the registry does, labels them from it and drops empty ones', () => {
    const { series } = toStackedRows(categoryTimeseriesFixture());
    expect(series).toEqual([
      { key: 'normal', label: 'Normal', color: 'var(--cat-normal)' },
      { key: 'abnormal', label: 'Abnormal (no close frame)', color: 'var(--cat-abnormal)' },
    ]);
  });

  it('drills down to codes with registry names, in code order', () => {
    const { rows, series } = toStackedRows(codeTimeseriesFixture());
    expect(series.map((s) => [s.key, s.label])).toEqual([
      ['1011', '1011 Internal Error (Error)'],
      ['1014', '1014 Bad Gateway'],
    ]);
    expect(rows.map((r) => r.values)).toEqual([
      { '1011': 3, '1014': 2 },
      { '1011': 2, '1014': 0 },
    ]);
  });

  it('puts the drill-down category into the filters and keeps the others', () => {
    const filters = { ...EMPTY_FILTERS, service: 'chat', category: null };
    expect(drillDownFilters(filters, 'server-error')).toEqual({ ...filters, category: 'server-error' });
  });

  it('labels series keys from the registry, including "no code"', () => {
    expect(seriesLabel('code', 'none', 'x')).toBe('No Code (Empty)');
    expect(seriesLabel('code', '4001', 'x')).toBe('4001 Private (application)');
    expect(seriesLabel('code', 'weird', 'server label')).toBe('server label');
    expect(seriesLabel('category', 'overload', 'x')).toBe('Overload / restart');
    expect(seriesLabel('service', 'chat', 'x')).toBe('chat');
  });

  it('returns no rows for a response without points', () => {
    expect(toStackedRows({ ...categoryTimeseriesFixture(), points: [], series: [] })).toEqual({ rows: [], series: [] });
  });

  it('describes bucket widths', () => {
    expect(describeBucket(60_000)).toBe('1 min');
    expect(describeBucket(3_600_000)).toBe('1 h');
    expect(describeBucket(30_000)).toBe('30 s');
  });
});

// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { findLifetimeWall, lifetimeCodes, toLifetimeBins } from '@/features/overview/lib/shape-lifetimes';

import { lifetimesFixture } from '../../fixtures';

describe('lifetime histogram shaping', () => {
  it('labels bins from the registry and gives every code a zero-filled value', () => {
    const { bins, series } = toLifetimeBins(lifetimesFixture());
    expect(bins).toHaveLength(12);
    expect(bins[0]).toEqual({ x: '0 s - 1 s', values: { '1006': 2, '1000': 1 } });
    expect(bins[9]).toEqual({ x: '60 s - 65 s', values: { '1006': 80, '1000': 1 } });
    // The 1000 counts array is one short: the last bin is zero, not missing.
    expect(bins[11]).toEqual({ x: '90 s - 2 min', values: { '1006': 0, '1000': 0 } });
    expect(bins.map((b) => b.x)).toEqual([
      '0 s - 1 s',
      '1 s - 2 s',
      '2 s - 5 s',
      '5 s - 10 s',
      '10 s - 20 s',
      '20 s - 30 s',
      '30 s - 45 s',
      '45 s - 55 s',
      '55 s - 60 s',
      '60 s - 65 s',
      '65 s - 90 s',
      '90 s - 2 min',
    ]);
    expect(bins.map((b) => b.values['1000'])).toEqual([1, 2, 3, 4, 5, 5, 4, 3, 1, 1, 1, 0]);
    expect(bins.map((b) => b.values['1006'])).toEqual([2, 1, 1, 2, 1, 2, 1, 3, 2, 80, 5, 0]);
    expect(series.map((s) => s.label)).toEqual(['1006 Abnormal Closure (Abnormal)', '1000 Normal Closure (Normal)']);
  });

  it("falls back to the server's label when its edges are not this registry's", () => {
    const fixture = lifetimesFixture();
    const shifted = { ...fixture, buckets: fixture.buckets.map((b) => ({ ...b, fromMs: b.fromMs + 1 })) };
    expect(toLifetimeBins(shifted).bins.map((b) => b.x)).toEqual(Array.from({ length: 12 }, (_, i) => `server label ${i}`));
    // Only the bucket whose edge moved falls back.
    const oneShifted = { ...fixture, buckets: fixture.buckets.map((b) => (b.index === 3 ? { ...b, fromMs: 5_001 } : b)) };
    expect(toLifetimeBins(oneShifted).bins.slice(2, 5).map((b) => b.x)).toEqual(['2 s - 5 s', 'server label 3', '10 s - 20 s']);
  });

  it('keeps only the selected codes', () => {
    const { bins, series } = toLifetimeBins(lifetimesFixture(), ['1000']);
    expect(series.map((s) => s.key)).toEqual(['1000']);
    expect(bins[9]?.values).toEqual({ '1000': 1 });
  });

  it('lists codes largest first for the selector', () => {
    expect(lifetimeCodes(lifetimesFixture()).map((o) => [o.key, o.total])).toEqual([
      ['1006', 100],
      ['1000', 30],
    ]);
  });

  it('finds the 1006 wall at 60 s - 65 s (a proxy idle timeout)', () => {
    expect(findLifetimeWall(lifetimesFixture())).toEqual({
      code: 1006,
      bucket: { index: 9, fromMs: 60_000, toMs: 65_000, label: 'server label 9' },
      count: 80,
      share: 0.8,
    });
  });

  it('sees no wall in normal closures, however peaked', () => {
    const fixture = lifetimesFixture();
    const normal = { ...fixture, byCode: fixture.byCode.map((c) => ({ ...c, code: 1000, category: 'normal' as const })) };
    expect(findLifetimeWall(normal)).toBeNull();
  });

  it('sees no wall in a spread-out distribution of 1006', () => {
    const fixture = lifetimesFixture();
    // 100 closes, the largest bucket holds 20 (20% < 25%).
    const counts = [5, 10, 10, 10, 10, 10, 5, 20, 10, 5, 5, 0];
    const spread = { ...fixture, byCode: fixture.byCode.map((c) => (c.code === 1006 ? { ...c, counts } : c)) };
    expect(findLifetimeWall(spread)).toBeNull();
  });

  it('sees no wall when its neighbours are high too', () => {
    const fixture = lifetimesFixture();
    // 30 of 100 in bucket 9, but 11 next to it (30 < 3 x 11).
    const counts = [10, 5, 5, 5, 5, 5, 5, 10, 9, 30, 11, 0];
    const shoulder = { ...fixture, byCode: fixture.byCode.map((c) => (c.code === 1006 ? { ...c, counts } : c)) };
    expect(findLifetimeWall(shoulder)).toBeNull();
  });
});

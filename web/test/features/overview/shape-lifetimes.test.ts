// @vitest-environment node
import { lifetimeBucketLabel } from '@closewatch/sdk/lifetime-buckets';
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
    expect(bins[11]).toEqual({ x: lifetimeBucketLabel(11), values: { '1006': 0, '1000': 0 } });
    expect(bins.map((b) => b.x)).toEqual(bins.map((_, i) => lifetimeBucketLabel(i)));
    expect(series.map((s) => s.label)).toEqual(['1006 Abnormal Closure (Abnormal)', '1000 Normal Closure (Normal)']);
  });

  it("falls back to the server's label when its edges are not this registry's", () => {
    const fixture = lifetimesFixture();
    const shifted = { ...fixture, buckets: fixture.buckets.map((b) => ({ ...b, fromMs: b.fromMs + 1 })) };
    expect(toLifetimeBins(shifted).bins[3]?.x).toBe('server label 3');
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
    const wall = findLifetimeWall(lifetimesFixture());
    expect(wall).toMatchObject({ code: 1006, count: 80, share: 0.8 });
    expect(wall?.bucket.fromMs).toBe(60_000);
  });

  it('sees no wall in a spread-out distribution or in normal closures', () => {
    const fixture = lifetimesFixture();
    const spread = { ...fixture, byCode: fixture.byCode.map((c) => ({ ...c, code: 1000, category: 'normal' as const })) };
    expect(findLifetimeWall(spread)).toBeNull();
  });
});

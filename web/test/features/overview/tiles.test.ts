// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { buildTiles } from '@/features/overview/lib/tiles';

import { emptySummaryFixture, summaryFixture } from '../../fixtures';

describe('summary tiles', () => {
  it('computes values, units and changes against the previous period', () => {
    const tiles = buildTiles(summaryFixture(), { kind: 'relative', preset: '1h' });
    expect(tiles.map((t) => [t.id, t.title, t.value, t.unit, t.change.text, t.change.tone])).toEqual([
      ['closures-per-minute', 'Closures', '20', 'closures/min', '+100% vs previous 1 h', 'neutral'],
      ['abnormal-share', 'Abnormal share', '25%', 'of closures', '+15 pp vs previous 1 h', 'bad'],
      ['error-rate', '1011 Internal Error (Error)', '1', 'closures/min', 'up from 0 in the previous 1 h', 'bad'],
      ['again-rate', '1013 Try Again Later (Again)', '0.5', 'closures/min', '\u221250% vs previous 1 h', 'good'],
    ]);
    expect(tiles[2]?.detail).toBe('5% of closures, 60 in total');
    expect(tiles[3]?.detail).toBe('2.5% of closures, 30 in total');
  });

  it('says "no change" when both periods are empty', () => {
    const tiles = buildTiles(emptySummaryFixture(), { kind: 'relative', preset: '15m' });
    expect(tiles.map((t) => t.value)).toEqual(['0', '0%', '0', '0']);
    expect(tiles[0]?.change.text).toBe('no change vs previous 15 min');
  });
});

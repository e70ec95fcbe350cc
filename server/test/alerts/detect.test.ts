import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, mad, median, robustZ, type GroupSeries } from '../../src/alerts/detect.js';
import type { Condition } from '../../src/alerts/rule.js';
import { seededRandom } from '../helpers/events.js';

const ANOMALY: Condition = { type: 'anomaly', zScore: 3.5, minCount: 5, minRatio: 0.02 };

/** 60 baseline minutes and the evaluated one: `selected(i)` and `total(i)` for i = 0..60. */
function series(selected: (i: number) => number, total: (i: number) => number, yesterday: GroupSeries['yesterday'] = null): GroupSeries {
  const idx = Array.from({ length: 61 }, (_, i) => i);
  return { selected: idx.map(selected), total: idx.map(total), yesterday };
}

describe('robust statistics', () => {
  it('median, MAD and z are the textbook ones', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(mad([1, 2, 3, 4, 100], 3), 1);
    assert.equal(robustZ(10, [1, 2, 3, 4, 100], 1).z, (10 - 3) / (1.4826 * 1 + 1));
  });
});

describe('the anomaly condition', () => {
  it('fires on a 1011 spike: count and share both far above their median', () => {
    const e = evaluate(ANOMALY, series((i) => (i === 60 ? 40 : 1), (i) => (i === 60 ? 140 : 101)));
    assert.equal(e.holds, true);
    assert.equal(e.value, 40);
    assert.equal(e.baseline, 1);
    assert.equal(e.detail.z, 39); // (40 - 1) / (1.4826 * 0 + 1)
    assert.equal(e.detail.shareZ, (40 / 140 - 1 / 101) / 0.005);
  });

  it('stays quiet on a steady high baseline with noise', () => {
    const random = seededRandom(7);
    const noisy = Array.from({ length: 61 }, () => 200 + Math.floor(random() * 21) - 10);
    const e = evaluate(ANOMALY, series((i) => noisy[i] as number, () => 2000));
    assert.equal(e.holds, false);
    assert.ok((e.detail.z as number) < 3.5, `z ${e.detail.z}`);
  });

  it('stays quiet on a gradual ramp', () => {
    // +1 close a minute for an hour: the newest minute is where the trend says it would be.
    const e = evaluate(ANOMALY, series((i) => 10 + i, (i) => 500 + 10 * i));
    assert.equal(e.holds, false);
    assert.equal(e.detail.z, (70 - 39.5) / (1.4826 * 15 + 1));
  });

  it('stays quiet on a daily peak that was there yesterday too', () => {
    const today = series((i) => (i === 60 ? 60 : 5), (i) => (i === 60 ? 1200 : 400), {
      selected: Array.from({ length: 60 }, (_, i) => (i >= 25 && i < 35 ? 58 : 6)),
      total: Array.from({ length: 60 }, (_, i) => (i >= 25 && i < 35 ? 1150 : 400)),
    });
    const withoutYesterday = evaluate(ANOMALY, { ...today, yesterday: null });
    assert.equal(withoutYesterday.holds, true, 'against the last hour alone it is a spike');
    // Yesterday's hour: 50 minutes at 6 and 10 at 58, so the median is 6 and the MAD 0.
    const e = evaluate(ANOMALY, today);
    assert.equal(e.detail.dailyMedian, 6);
    assert.equal(e.detail.dailyZ, 54);
    assert.equal(e.holds, true, 'a 10x jump on yesterday at the same hour is still unusual');
    const peakHour = series((i) => (i === 60 ? 60 : 5), (i) => (i === 60 ? 1200 : 400), {
      selected: Array.from({ length: 60 }, () => 58),
      total: Array.from({ length: 60 }, () => 1150),
    });
    assert.equal(evaluate(ANOMALY, peakHour).holds, false, 'yesterday ran this high the whole hour: a daily peak');
  });

  it('stays quiet when total traffic doubles and the share of 1011 does not change', () => {
    const e = evaluate(ANOMALY, series((i) => (i === 60 ? 20 : 10), (i) => (i === 60 ? 2000 : 1000)));
    assert.equal(e.detail.z, 10, 'the count alone looks like a spike ...');
    assert.equal(e.detail.shareZ, 0, '... its share of closes does not');
    assert.equal(e.holds, false);
  });

  it('does not fire on a sparse code with occasional single events', () => {
    const random = seededRandom(11);
    for (let run = 0; run < 200; run += 1) {
      const sparse = Array.from({ length: 61 }, () => (random() < 0.05 ? 1 : 0));
      sparse[60] = 1;
      assert.equal(evaluate(ANOMALY, series((i) => sparse[i] as number, () => 100)).holds, false, 'one close is below minCount');
    }
    const e = evaluate(ANOMALY, series((i) => (i === 60 ? 4 : 0), () => 100));
    assert.equal(e.holds, false, '4 closes out of nothing: still under minCount 5');
  });
});

describe('threshold and ratio conditions', () => {
  it('a threshold on the count or the rate over the window', () => {
    const s = series((i) => (i >= 56 ? 3 : 0), () => 100);
    assert.deepEqual(evaluate({ type: 'threshold', measure: 'count', windowMinutes: 5, above: 14 }, s), {
      holds: true,
      value: 15,
      baseline: 14,
      detail: { count: 15, windowMinutes: 5 },
    });
    assert.equal(evaluate({ type: 'threshold', measure: 'rate', windowMinutes: 5, above: 3 }, s).holds, false, '3 a minute is not above 3');
  });

  it('a ratio: the share of all closes of the selection, with a minimum count', () => {
    const s = series((i) => (i >= 59 ? 6 : 0), () => 100);
    assert.deepEqual(evaluate({ type: 'ratio', above: 0.05, windowMinutes: 2, minCount: 5 }, s), {
      holds: true,
      value: 0.06,
      baseline: 0.05,
      detail: { count: 12, total: 200, windowMinutes: 2 },
    });
    assert.equal(evaluate({ type: 'ratio', above: 0.05, windowMinutes: 2, minCount: 13 }, s).holds, false);
  });
});

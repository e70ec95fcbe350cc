import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIFETIME_EDGES_MS, lifetimeBucket, lifetimeBucketLabel } from '../src/lifetime-buckets.js';

test('edges', () => {
  // Stored counts are indexed by these edges: any change is a data migration.
  assert.deepEqual(LIFETIME_EDGES_MS, [
    0, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 45_000, 55_000, 60_000, 65_000, 90_000,
    120_000, 180_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000,
    86_400_000,
  ]);
  assert.equal(Object.isFrozen(LIFETIME_EDGES_MS), true);
});

test('lifetimeBucket: lower edge inclusive, upper exclusive, clamps', () => {
  const cases: Array<[number, number]> = [
    [Number.NEGATIVE_INFINITY, 0], [-5, 0], [Number.NaN, 0], [0, 0], [999, 0], [1000, 1], [1999.9, 1],
    [54_999, 7], [55_000, 8], [59_999, 8], [60_000, 9], [64_999, 9], [65_000, 10],
    [3_599_999, 17], [3_600_000, 18], [86_399_999, 20], [86_400_000, 21], [1e12, 21], [Number.POSITIVE_INFINITY, 21],
  ];
  for (const [ms, bucket] of cases) assert.equal(lifetimeBucket(ms), bucket, String(ms));
  LIFETIME_EDGES_MS.forEach((edge, index) => {
    assert.equal(lifetimeBucket(edge), index);
    if (index > 0) assert.equal(lifetimeBucket(edge - 1), index - 1);
  });
});

test('labels', () => {
  assert.deepEqual(LIFETIME_EDGES_MS.map((_, index) => lifetimeBucketLabel(index)), [
    '0 s - 1 s', '1 s - 2 s', '2 s - 5 s', '5 s - 10 s', '10 s - 20 s', '20 s - 30 s', '30 s - 45 s',
    '45 s - 55 s', '55 s - 60 s', '60 s - 65 s', '65 s - 90 s', '90 s - 2 min', '2 min - 3 min',
    '3 min - 5 min', '5 min - 10 min', '10 min - 15 min', '15 min - 30 min', '30 min - 1 h', '1 h - 2 h',
    '2 h - 6 h', '6 h - 24 h', '>= 24 h',
  ]);
  for (const bad of [-1, 22, 1.5]) assert.throws(() => lifetimeBucketLabel(bad), { name: 'RangeError', message: `no lifetime bucket ${bad}` });
});

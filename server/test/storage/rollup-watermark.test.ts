import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROLL_UP_GRACE_MS, rollUpStep, rollUpTarget } from '../../src/storage/rollup-watermark.js';
import { HOUR_MS, MINUTE_MS } from '../../src/storage/types.js';

const H0 = Date.UTC(2026, 11, 3, 10);

describe('the rollup watermark', () => {
  it('rolls up an hour once it has been over for the grace period', () => {
    assert.equal(ROLL_UP_GRACE_MS, 2 * MINUTE_MS);
    assert.equal(rollUpTarget(H0 + MINUTE_MS), H0 - HOUR_MS);
    assert.equal(rollUpTarget(H0 + 2 * MINUTE_MS), H0);
    assert.equal(rollUpTarget(H0 + 59 * MINUTE_MS), H0);
  });

  it('sums one hour a step, and skips the empty hours before the first minute row', () => {
    assert.deepEqual(rollUpStep(H0, H0 + 5 * HOUR_MS, H0 + 7 * MINUTE_MS), { from: H0, to: H0 + HOUR_MS });
    // A watermark left behind by an idle collector: the hours before the first row are empty.
    assert.deepEqual(rollUpStep(H0 - 48 * HOUR_MS, H0 + 5 * HOUR_MS, H0 + 2 * HOUR_MS + MINUTE_MS), { from: H0 + 2 * HOUR_MS, to: H0 + 3 * HOUR_MS });
    // No rows up to the target (or none at all): straight there.
    assert.deepEqual(rollUpStep(H0 - 48 * HOUR_MS, H0, H0 + 7 * HOUR_MS), { from: H0, to: H0 });
    assert.deepEqual(rollUpStep(H0 - 48 * HOUR_MS, H0, null), { from: H0, to: H0 });
    // The last step stops at the target.
    assert.deepEqual(rollUpStep(H0, H0 + HOUR_MS, H0), { from: H0, to: H0 + HOUR_MS });
  });
});

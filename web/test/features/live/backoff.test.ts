// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { MAX_RETRY_MS, MIN_RETRY_MS, backoffDelay } from '@/features/live/lib/backoff';

describe('reconnect backoff', () => {
  it('doubles from 1 s and caps at 30 s without jitter', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, middle))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('jitters by +-20% and never leaves 1 s .. 30 s', () => {
    expect(backoffDelay(2, () => 0)).toBe(3200);
    expect(backoffDelay(2, () => 1)).toBe(4800);
    for (const attempt of [0, 1, 5, 20]) {
      for (const r of [0, 0.3, 0.999]) {
        const delay = backoffDelay(attempt, () => r);
        expect(delay).toBeGreaterThanOrEqual(MIN_RETRY_MS);
        expect(delay).toBeLessThanOrEqual(MAX_RETRY_MS);
      }
    }
  });
});

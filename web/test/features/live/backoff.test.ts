// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { backoffDelay } from '@/features/live/lib/backoff';

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
    // [attempt, delay with random() = 0, 0.3, 0.999]: 1 s - 20% is raised to 1 s,
    // 30 s + 20% is cut to 30 s.
    const table = [0, 1, 5, 20].map((attempt) => [attempt, ...[0, 0.3, 0.999].map((r) => backoffDelay(attempt, () => r))]);
    expect(table).toEqual([
      [0, 1000, 1000, 1200],
      [1, 1600, 1840, 2399],
      [5, 24000, 27600, 30000],
      [20, 24000, 27600, 30000],
    ]);
  });
});

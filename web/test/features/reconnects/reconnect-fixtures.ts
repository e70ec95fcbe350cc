import type { Reconnects } from '@closewatch/server/api-types';

import { NOW, WINDOW } from '../../fixtures';

/** The second of the last rolling restart in the fixture. */
export const STORM_AT = NOW - 20 * 60_000;

/**
 * A rolling restart seen through GET /api/v1/stats/reconnects: 1,200 closes, 1,000
 * clients back (300 too fast, 620 in 5-30 s, 80 later), a storm 12x the normal rate,
 * and one population with a fixed 1 s delay.
 */
export function reconnectsFixture(overrides: Partial<Reconnects> = {}): Reconnects {
  return {
    window: WINDOW,
    lookaheadMs: 600_000,
    advisedDelayMs: { from: 5_000, to: 30_000 },
    closes: 1200,
    reconnected: 1000,
    notReturned: 200,
    compliantShare: 0.62,
    tooFast: 300,
    medianDelayMs: 7_200,
    p90DelayMs: 24_500,
    byCode: [
      { code: 1012, name: 'Service Restart', shortName: 'Restart', category: 'overload', closes: 900, reconnected: 800, notReturned: 100, compliantShare: 0.65 },
      { code: 1001, name: 'Going Away', shortName: 'Away', category: 'going-away', closes: 250, reconnected: 170, notReturned: 80, compliantShare: 0.5 },
      { code: 1013, name: 'Try Again Later', shortName: 'Again', category: 'overload', closes: 50, reconnected: 30, notReturned: 20, compliantShare: null },
    ],
    delayHistogram: [
      { fromMs: 0, toMs: 1_000, label: '0 s - 1 s', count: 200 },
      { fromMs: 1_000, toMs: 5_000, label: '1 s - 5 s', count: 100 },
      { fromMs: 5_000, toMs: 10_000, label: '5 s - 10 s', count: 300 },
      { fromMs: 10_000, toMs: 20_000, label: '10 s - 20 s', count: 220 },
      { fromMs: 20_000, toMs: 30_000, label: '20 s - 30 s', count: 100 },
      { fromMs: 30_000, toMs: 60_000, label: '30 s - 1 min', count: 50 },
      { fromMs: 60_000, toMs: null, label: '1 min or more', count: 30 },
    ],
    storm: {
      at: STORM_AT,
      closes: 900,
      baselinePerSecond: 3.3,
      peakPerSecond: 40,
      peakAt: STORM_AT + 2_000,
      score: 40 / 3.3,
      series: [
        { t: STORM_AT - 2_000, closes: 0, reconnects: 3 },
        { t: STORM_AT - 1_000, closes: 0, reconnects: 4 },
        { t: STORM_AT, closes: 900, reconnects: 2 },
        { t: STORM_AT + 1_000, closes: 0, reconnects: 35 },
        { t: STORM_AT + 2_000, closes: 0, reconnects: 40 },
        { t: STORM_AT + 3_000, closes: 0, reconnects: 22 },
        { t: STORM_AT + 4_000, closes: 0, reconnects: 9 },
      ],
    },
    offenders: [
      { kind: 'agent', value: 'okhttp/4.12', reconnected: 400, tooFast: 280, tooFastShare: 0.7, medianDelayMs: 1_000, spreadMs: 40, fixedDelay: true },
      { kind: 'keyPrefix', value: 'a1b2', reconnected: 50, tooFast: 20, tooFastShare: 0.4, medianDelayMs: 300, spreadMs: 2_500, fixedDelay: false },
    ],
    ...overrides,
  };
}

/** Nothing to measure: no reconnect-advising close in the window. */
export function emptyReconnectsFixture(): Reconnects {
  return reconnectsFixture({
    closes: 0,
    reconnected: 0,
    notReturned: 0,
    compliantShare: null,
    tooFast: 0,
    medianDelayMs: null,
    p90DelayMs: null,
    byCode: [],
    delayHistogram: [],
    storm: null,
    offenders: [],
  });
}

// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { delayHistogramModel, delayZone, zoneLegend } from '@/features/reconnects/lib/delay-histogram';
import { offenderRows } from '@/features/reconnects/lib/offenders';
import { describeAdvisingCodes, describeDelayWindow, reconnectFigures } from '@/features/reconnects/lib/reconnect-figures';
import { formatScore, stormChartModel, stormOffsetLabel, stormVerdict } from '@/features/reconnects/lib/storm';

import { emptyReconnectsFixture, reconnectsFixture, STORM_AT } from './reconnect-fixtures';

const ADVISED = { from: 5_000, to: 30_000 };

describe('reconnect figures', () => {
  it('gives every headline number its unit and window', () => {
    const figures = reconnectFigures(reconnectsFixture(), 'last 1 h');
    expect(figures.map((f) => [f.id, f.value, f.unit])).toEqual([
      ['closes', '1,200', 'closes'],
      ['reconnected', '1,000', 'clients'],
      ['not-returned', '200', 'clients'],
      ['compliant-share', '62%', 'of reconnects'],
      ['too-fast', '300', 'reconnects'],
      ['median-delay', '7.2 s', 'after the close'],
      ['p90-delay', '24.5 s', 'after the close'],
    ]);
    expect(figures.map((f) => f.raw)).toEqual([1200, 1000, 200, 0.62, 300, 7_200, 24_500]);
    expect(figures[0]?.window).toBe('last 1 h');
    expect(figures[0]?.detail).toBe('server-initiated 1012, 1001 and 1013');
    for (const f of figures.slice(1)) expect(f.window).toBe('within 10 min of closes in the last 1 h');
    expect(figures[1]?.detail).toBe('83.3% of the closes; the same client opened a new connection');
    expect(figures[2]?.detail).toBe('16.7% of the closes; not back within 10 min of the close, or by the end of the range');
    expect(figures[3]?.detail).toBe('waited 5 s \u2013 30 s, the advised randomized delay');
    expect(figures[4]?.detail).toBe('30% of the reconnects came back in under 5 s');
    expect(figures[4]?.tone).toBe('bad');
  });

  it('shows a dash, not a zero, where there is nothing to compute from', () => {
    const figures = reconnectFigures(emptyReconnectsFixture(), 'last 15 min');
    const byId = Object.fromEntries(figures.map((f) => [f.id, f]));
    expect(byId['compliant-share']).toMatchObject({ value: '\u2014', raw: null, detail: 'no reconnects to judge' });
    expect(byId['median-delay']).toMatchObject({ value: '\u2014', raw: null, detail: 'no reconnects to measure' });
    expect(byId['too-fast']?.detail).toBe('no reconnects to judge');
    expect(byId.closes).toMatchObject({ value: '0', detail: 'server-initiated 1001, 1012 and 1013' });
  });

  it('words singular counts and code lists', () => {
    const one = reconnectFigures(reconnectsFixture({ closes: 1, reconnected: 1, notReturned: 0, tooFast: 1 }), 'last 1 h');
    expect(one.map((f) => f.unit).slice(0, 5)).toEqual(['close', 'client', 'clients', 'of reconnects', 'reconnect']);
    expect(describeAdvisingCodes(reconnectsFixture().byCode.slice(0, 1))).toBe('1012');
    expect(describeDelayWindow(ADVISED)).toBe('5 s \u2013 30 s');
  });
});

describe('delay histogram', () => {
  it('puts each bin before, inside or after the advised window', () => {
    expect(delayZone({ fromMs: 1_000, toMs: 5_000 }, ADVISED)).toBe('too-fast');
    expect(delayZone({ fromMs: 5_000, toMs: 10_000 }, ADVISED)).toBe('advised');
    expect(delayZone({ fromMs: 20_000, toMs: 30_000 }, ADVISED)).toBe('advised');
    expect(delayZone({ fromMs: 30_000, toMs: 60_000 }, ADVISED)).toBe('late');
    expect(delayZone({ fromMs: 60_000, toMs: null }, ADVISED)).toBe('late');
    // A bin across an edge holds advised delays: it is shaded with them.
    expect(delayZone({ fromMs: 2_000, toMs: 8_000 }, ADVISED)).toBe('advised');
    expect(delayZone({ fromMs: 25_000, toMs: 40_000 }, ADVISED)).toBe('advised');
  });

  it('bins in order, colored by zone, with the advised band over the bins it covers', () => {
    const r = reconnectsFixture({ delayHistogram: [...reconnectsFixture().delayHistogram].reverse() });
    const model = delayHistogramModel(r);
    expect(model.bins.map((b) => [b.x, b.values.reconnects])).toEqual([
      ['0 s - 1 s', 200],
      ['1 s - 5 s', 100],
      ['5 s - 10 s', 300],
      ['10 s - 20 s', 220],
      ['20 s - 30 s', 100],
      ['30 s - 1 min', 50],
      ['1 min or more', 30],
    ]);
    expect(model.zones).toEqual(['too-fast', 'too-fast', 'advised', 'advised', 'advised', 'late', 'late']);
    expect(model.rowColors[0]).toBe('var(--cat-abnormal)');
    expect(model.rowColors[2]).toBe('var(--cat-normal)');
    expect(model.band).toEqual({
      key: 'advised',
      from: '5 s - 10 s',
      to: '20 s - 30 s',
      label: 'Advised delay 5 s \u2013 30 s: 62% of the reconnects',
      tone: 'good',
    });
    const legend = zoneLegend(r, model);
    expect(legend.totals).toEqual({ 'too-fast': 300, advised: 620, late: 80 });
    expect(legend.series.map((s) => s.label)).toEqual(['Too fast (under 5 s)', 'Advised (5 s \u2013 30 s)', 'Later (30 s or more)']);
  });

  it('has no band when no bin reaches the advised window', () => {
    const r = reconnectsFixture({ delayHistogram: [{ fromMs: 0, toMs: 1_000, label: '0 s - 1 s', count: 4 }] });
    expect(delayHistogramModel(r).band).toBeNull();
  });
});

describe('storm', () => {
  const storm = reconnectsFixture().storm;
  if (storm === null) throw new Error('the fixture has a storm');

  it('labels seconds by their distance from the mass close', () => {
    expect(stormOffsetLabel(STORM_AT, STORM_AT)).toBe('0 s');
    expect(stormOffsetLabel(STORM_AT + 12_000, STORM_AT)).toBe('+12 s');
    expect(stormOffsetLabel(STORM_AT - 2_000, STORM_AT)).toBe('\u22122 s');
  });

  it('says in plain words how high the peak was against the normal rate', () => {
    expect(stormVerdict(storm)).toEqual({
      level: 'storm',
      headline: 'Reconnect storm',
      text: 'peak 40 reconnects/s at +2 s, 12x the normal 3.3/s',
      tone: 'bad',
    });
    expect(stormVerdict({ ...storm, peakPerSecond: 10, score: 10 / 3.3 })).toMatchObject({
      level: 'surge',
      text: 'peak 10 reconnects/s at +2 s, 3x the normal 3.3/s',
    });
    expect(stormVerdict({ ...storm, peakPerSecond: 5, score: 5 / 3.3 })).toMatchObject({ level: 'calm', headline: 'No storm', tone: 'good' });
    expect(stormVerdict({ ...storm, baselinePerSecond: 0, score: null }).text).toBe(
      'peak 40 reconnects/s at +2 s; no connections opened outside the storm, so there is no normal rate to compare with',
    );
    expect(stormVerdict({ ...storm, peakPerSecond: 0, peakAt: null, score: 0 })).toMatchObject({
      level: 'calm',
      text: 'no client reconnected in the seconds after the mass close',
    });
    expect(formatScore(12.12)).toBe('12x');
    expect(formatScore(2.46)).toBe('2.5x');
  });

  it('charts closes and reconnects per second with the peak second marked', () => {
    const model = stormChartModel(storm);
    expect(model.rows.map((r) => [r.x, r.values.closes, r.values.reconnects])).toEqual([
      ['\u22122 s', 0, 3],
      ['\u22121 s', 0, 4],
      ['0 s', 900, 2],
      ['+1 s', 0, 35],
      ['+2 s', 0, 40],
      ['+3 s', 0, 22],
      ['+4 s', 0, 9],
    ]);
    expect(model.band).toEqual({
      key: 'peak',
      from: '+2 s',
      to: '+2 s',
      label: 'Peak: 40 reconnects in the second at +2 s (09:40:02)',
      tone: 'critical',
    });
  });
});

describe('offenders', () => {
  it('formats each population with its kind, shares and delays', () => {
    expect(offenderRows(reconnectsFixture().offenders)).toEqual([
      {
        key: 'agent:okhttp/4.12',
        kind: 'agent',
        population: 'User agent',
        value: 'okhttp/4.12',
        reconnected: '400',
        tooFast: '280',
        tooFastShare: '70%',
        medianDelay: '1 s',
        spread: '40 ms',
        fixedDelay: true,
      },
      {
        key: 'keyPrefix:a1b2',
        kind: 'keyPrefix',
        population: 'Client key prefix',
        value: 'a1b2',
        reconnected: '50',
        tooFast: '20',
        tooFastShare: '40%',
        medianDelay: '300 ms',
        spread: '2.5 s',
        fixedDelay: false,
      },
    ]);
  });
});

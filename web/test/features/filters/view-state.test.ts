// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  DEFAULT_VIEW,
  EMPTY_FILTERS,
  PRESET_MS,
  RANGE_PRESETS,
  apiParams,
  describePreviousRange,
  describeRange,
  describeRangeIn,
  hasFilters,
  parseCodeList,
  parseTime,
  parseViewState,
  resolveRange,
  serializeViewState,
  type ViewState,
} from '@/features/filters/lib/view-state';

import { NOW } from '../../fixtures';

describe('URL state', () => {
  it('reads the documented example link and writes it back unchanged', () => {
    const search = 'range=1h&service=chat&code=1011,1013&live=1';
    const state = parseViewState(`?${search}`);
    expect(state).toEqual({
      range: { kind: 'relative', preset: '1h' },
      filters: { ...EMPTY_FILTERS, service: 'chat', codes: [1011, 1013] },
      live: true,
    });
    expect(serializeViewState(state)).toBe(search);
  });

  it('round-trips every filter, a custom range and live off', () => {
    const state: ViewState = {
      range: { kind: 'absolute', from: Date.UTC(2026, 10, 26, 9, 0), to: Date.UTC(2026, 10, 26, 10, 30, 15, 250) },
      filters: {
        service: 'chat api',
        route: '/ws/v2',
        instance: 'chat-1',
        codes: [1006, null, 4001],
        category: 'server-error',
        initiator: 'client',
        label: { key: 'region', value: 'eu:west&1' },
      },
      live: false,
    };
    const search = serializeViewState(state);
    expect(search).toBe(
      'from=2026-11-26T09:00:00Z&to=2026-11-26T10:30:15.250Z&service=chat%20api&route=/ws/v2&instance=chat-1' +
        '&code=1006,none,4001&category=server-error&initiator=client&label=region:eu:west%261&live=0',
    );
    expect(parseViewState(search)).toEqual(state);
  });

  it('accepts epoch milliseconds for from/to', () => {
    expect(parseViewState('from=1000&to=61000').range).toEqual({ kind: 'absolute', from: 1000, to: 61000 });
  });

  it('falls back to the default for each invalid value on its own', () => {
    const state = parseViewState(
      'range=2h&service=%20%20&code=abc,1011,70000,-1,none&category=bogus&initiator=bob&label=nokey&live=maybe',
    );
    expect(state).toEqual({
      range: { kind: 'relative', preset: '1h' },
      filters: { ...EMPTY_FILTERS, codes: [1011, null] },
      live: true,
    });
  });

  it('ignores a custom range that is inverted, half given or not a date', () => {
    expect(parseViewState('from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z&range=6h').range).toEqual({
      kind: 'relative',
      preset: '6h',
    });
    expect(parseViewState('from=2026-11-26T10:00:00Z').range).toEqual(DEFAULT_VIEW.range);
    expect(parseViewState('from=yesterday&to=today').range).toEqual(DEFAULT_VIEW.range);
  });

  it('reads an empty query string as the default view', () => {
    expect(parseViewState('')).toEqual(DEFAULT_VIEW);
    expect(hasFilters(parseViewState('').filters)).toBe(false);
  });

  it('turns live off only for 0/false/off', () => {
    expect(parseViewState('live=0').live).toBe(false);
    expect(parseViewState('live=false').live).toBe(false);
    expect(parseViewState('live=off').live).toBe(false);
    expect(parseViewState('live=1').live).toBe(true);
    expect(parseViewState('live=no').live).toBe(true);
    expect(parseViewState('live=').live).toBe(true);
  });
});

describe('range presets', () => {
  it.each([
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['6h', 21_600_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
  ] as const)('%s ends now and spans %i ms', (preset, ms) => {
    expect(resolveRange({ kind: 'relative', preset }, NOW)).toEqual({ from: NOW - ms, to: NOW });
  });

  it('lists the five presets of the picker in order', () => {
    expect(RANGE_PRESETS).toEqual(['15m', '1h', '6h', '24h', '7d']);
    expect(Object.keys(PRESET_MS)).toEqual([...RANGE_PRESETS]);
  });

  it('slides a relative window with the clock and keeps a custom one fixed', () => {
    const custom = { kind: 'absolute', from: 5, to: 10 } as const;
    expect(resolveRange(custom, NOW)).toEqual({ from: 5, to: 10 });
    expect(resolveRange({ kind: 'relative', preset: '15m' }, NOW + 60_000)).toEqual({ from: NOW - 840_000, to: NOW + 60_000 });
  });

  it('builds API parameters: window in epoch ms, then the filters', () => {
    const params = apiParams(
      { kind: 'relative', preset: '1h' },
      { ...EMPTY_FILTERS, service: 'chat', codes: [1011, null], label: { key: 'k', value: 'v' } },
      NOW,
    );
    expect([...params]).toEqual([
      ['from', String(NOW - 3_600_000)],
      ['to', String(NOW)],
      ['service', 'chat'],
      ['code', '1011,none'],
      ['label', 'k:v'],
    ]);
  });

  it('describes windows in words', () => {
    expect(describeRange({ kind: 'relative', preset: '1h' })).toBe('last 1 h');
    expect(describeRange({ kind: 'relative', preset: '15m' })).toBe('last 15 min');
    expect(describePreviousRange({ kind: 'relative', preset: '7d' })).toBe('previous 7 d');
    const custom = { kind: 'absolute', from: Date.UTC(2026, 10, 26, 9, 0), to: Date.UTC(2026, 10, 26, 10, 30) } as const;
    expect(describeRange(custom)).toBe('2026-11-26 09:00 \u2013 10:30');
    expect(describeRangeIn(custom)).toBe('from 2026-11-26 09:00 to 10:30');
    expect(describePreviousRange(custom)).toBe('previous 1 h 30 min');
  });
});

describe('parsers', () => {
  it('reports tokens that are not close codes', () => {
    expect(parseCodeList(' 1011, 1011 ,NONE, 1e3, 65536, x')).toEqual({
      codes: [1011, null],
      invalid: ['1e3', '65536', 'x'],
    });
  });

  it('accepts RFC 3339 and epoch ms only', () => {
    expect(parseTime('2026-11-26T10:00:00+01:00')).toBe(Date.UTC(2026, 10, 26, 9, 0));
    expect(parseTime('1764151200000')).toBe(1764151200000);
    expect(parseTime('Nov 26 2026')).toBeNull();
  });
});

// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { parseEnv } from '@/config/env';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatEventTime,
  formatPointsDelta,
  formatRate,
  formatRelativeDelta,
  formatShare,
  formatCountOf,
} from '@/lib/format';

describe('formatting', () => {
  it('formats counts, rates and shares with fixed precision', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect([0, 0.001666, 0.5, 1.256, 20, 123.45, 4567.8].map(formatRate)).toEqual([
      '0',
      '0.00167',
      '0.5',
      '1.26',
      '20',
      '123.5',
      '4,568',
    ]);
    expect([0, 0.00001, 0.0025, 0.25, 1].map(formatShare)).toEqual(['0%', '<0.01%', '0.25%', '25%', '100%']);
    expect(formatPointsDelta(-0.021)).toBe('\u22122.1 pp');
    expect(formatRelativeDelta(0.054)).toBe('+5.4%');
  });

  it('formats lifetimes, bytes and event times with units', () => {
    expect([850, 12_340, 61_000, 3_600_000, 7_380_000, 90_000_000].map(formatDuration)).toEqual([
      '850 ms',
      '12.3 s',
      '1 min 1 s',
      '1 h',
      '2 h 3 min',
      '1 d 1 h',
    ]);
    expect([532, 1536, 5 * 1024 * 1024].map(formatBytes)).toEqual(['532 B', '1.5 KiB', '5 MiB']);
    expect(formatEventTime(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02 03:04:05.006');
  });
});

describe('env', () => {
  it('defaults the collector URL to the same origin and strips trailing slashes', () => {
    expect(parseEnv({}).collectorUrl).toBe('');
    expect(parseEnv({ VITE_COLLECTOR_URL: 'http://127.0.0.1:8080/' }).collectorUrl).toBe('http://127.0.0.1:8080');
  });

  it('rejects a collector URL that is not http(s)', () => {
    expect(() => parseEnv({ VITE_COLLECTOR_URL: '/relative' })).toThrow(/absolute http\(s\) URL/);
    expect(() => parseEnv({ VITE_COLLECTOR_URL: 'localhost:8080' })).toThrow('VITE_COLLECTOR_URL must use http or https');
  });
});

describe('formatCountOf', () => {
  it('says one closure, and closures otherwise', () => {
    expect(formatCountOf(1, 'closures')).toBe('1 closure');
    expect(formatCountOf(0, 'closures')).toBe('0 closures');
    expect(formatCountOf(1234, 'closures')).toBe('1,234 closures');
  });
});

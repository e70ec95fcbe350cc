// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { EMPTY_FILTERS } from '@/features/filters/lib/view-state';
import { liveUrl } from '@/features/live/lib/live-url';
import { parseLiveMessage } from '@/features/live/lib/parse-message';

describe('live feed URL', () => {
  const filters = { ...EMPTY_FILTERS, service: 'chat', codes: [1011, 1013] };

  it('uses the page origin with ws/wss and carries the filters but no time range', () => {
    expect(liveUrl(filters, '', { protocol: 'http:', host: '127.0.0.1:8080' })).toBe(
      'ws://127.0.0.1:8080/api/v1/live?service=chat&code=1011%2C1013',
    );
    expect(liveUrl(EMPTY_FILTERS, '', { protocol: 'https:', host: 'cw.example.com' })).toBe(
      'wss://cw.example.com/api/v1/live',
    );
  });

  it('follows a configured collector URL', () => {
    expect(liveUrl(EMPTY_FILTERS, 'https://collector.example.com:9000', { protocol: 'http:', host: 'x' })).toBe(
      'wss://collector.example.com:9000/api/v1/live',
    );
  });
});

describe('live messages', () => {
  it('parses hello and tick, defaulting missing lists', () => {
    expect(parseLiveMessage('{"type":"hello","serverTime":1,"tickMs":1000}')).toEqual({
      type: 'hello',
      serverTime: 1,
      tickMs: 1000,
    });
    expect(parseLiveMessage('{"type":"tick","from":1,"to":2,"total":3}')).toEqual({
      type: 'tick',
      from: 1,
      to: 2,
      total: 3,
      byCode: [],
      byService: [],
      events: [],
      skippedTicks: 0,
    });
  });

  it('ignores what it does not understand', () => {
    expect(parseLiveMessage('not json')).toBeNull();
    expect(parseLiveMessage('{"type":"other"}')).toBeNull();
    expect(parseLiveMessage('{"type":"tick"}')).toBeNull();
    expect(parseLiveMessage(new ArrayBuffer(2))).toBeNull();
  });
});

import type {
  Breakdown,
  CloseEventView,
  EventsPage as EventsResponse,
  Lifetimes,
  Reasons,
  Summary,
  Timeseries,
} from '@closewatch/server/api-types';

/** 2026-11-26T10:00:00Z: every fixture window ends here. */
export const NOW = Date.UTC(2026, 10, 26, 10, 0, 0);
const HOUR = 3_600_000;
export const WINDOW = { from: NOW - HOUR, to: NOW };

export function summaryFixture(overrides: Partial<Summary> = {}): Summary {
  return {
    window: WINDOW,
    total: 1200,
    perMinute: 20,
    abnormal: { count: 300, share: 0.25 },
    error: { count: 60, perMinute: 1, share: 0.05 },
    again: { count: 30, perMinute: 0.5, share: 0.025 },
    byCode: [
      { code: 1000, name: 'Normal Closure', shortName: 'Normal', category: 'normal', count: 700, share: 700 / 1200 },
      { code: 1006, name: 'Abnormal Closure', shortName: 'Abnormal', category: 'abnormal', count: 240, share: 0.2 },
      { code: 1001, name: 'Going Away', shortName: 'Away', category: 'going-away', count: 170, share: 170 / 1200 },
      { code: 1011, name: 'Internal Error', shortName: 'Error', category: 'server-error', count: 60, share: 0.05 },
      { code: 1013, name: 'Try Again Later', shortName: 'Again', category: 'overload', count: 30, share: 0.025 },
    ],
    byCategory: [
      { category: 'normal', label: 'Normal', count: 700 },
      { category: 'going-away', label: 'Going away', count: 170 },
      { category: 'abnormal', label: 'Abnormal (no close frame)', count: 240 },
      { category: 'server-error', label: 'Server error', count: 60 },
      { category: 'overload', label: 'Overload / restart', count: 30 },
    ],
    otherCodes: { codes: 0, count: 0 },
    previous: {
      window: { from: NOW - 2 * HOUR, to: NOW - HOUR },
      total: 600,
      perMinute: 10,
      abnormal: { count: 60, share: 0.1 },
      error: { count: 0, perMinute: 0, share: 0 },
      again: { count: 60, perMinute: 1, share: 0.1 },
    },
    ...overrides,
  };
}

export function emptySummaryFixture(): Summary {
  const zero = { count: 0, perMinute: 0, share: 0 };
  return {
    window: WINDOW,
    total: 0,
    perMinute: 0,
    abnormal: { count: 0, share: 0 },
    error: zero,
    again: zero,
    byCode: [],
    otherCodes: { codes: 0, count: 0 },
    byCategory: [],
    previous: { window: { from: NOW - 2 * HOUR, to: NOW - HOUR }, total: 0, perMinute: 0, abnormal: { count: 0, share: 0 }, error: zero, again: zero },
  };
}

/** Three 1-minute buckets; the middle one is missing `normal` and the server omitted bucket 4. */
export function categoryTimeseriesFixture(): Timeseries {
  const t0 = NOW - 5 * 60_000;
  return {
    window: WINDOW,
    bucketMs: 60_000,
    groupBy: 'category',
    series: [
      { key: 'abnormal', label: 'Abnormal (no close frame)', total: 7 },
      { key: 'normal', label: 'Normal', total: 10 },
      { key: 'tls', label: 'TLS', total: 0 },
    ],
    otherGroups: 0,
    points: [
      { t: t0, values: { normal: 4, abnormal: 1 } },
      { t: t0 + 60_000, values: { abnormal: 6 } },
      { t: t0 + 2 * 60_000, values: { normal: 6 } },
      { t: t0 + 4 * 60_000, values: {} },
    ],
  };
}

export function codeTimeseriesFixture(): Timeseries {
  const t0 = NOW - 2 * 60_000;
  return {
    window: WINDOW,
    bucketMs: 60_000,
    groupBy: 'code',
    series: [
      { key: '1014', label: '1014 Bad Gateway', total: 2 },
      { key: '1011', label: '1011 Internal Error (Error)', total: 5 },
    ],
    otherGroups: 0,
    points: [
      { t: t0, values: { '1011': 3, '1014': 2 } },
      { t: t0 + 60_000, values: { '1011': 2 } },
    ],
  };
}

export function reasonsFixture(): Reasons {
  return {
    window: WINDOW,
    codes: [
      {
        code: 1011,
        name: 'Internal Error',
        shortName: 'Error',
        category: 'server-error',
        count: 60,
        reasons: [
          { template: 'handler failed: <id>', count: 45, examples: ['handler failed: 17', 'handler failed: 18'] },
          { template: '', count: 15, examples: [] },
        ],
        otherTemplates: { templates: 0, count: 0 },
      },
    ],
    otherCodes: { codes: 0, count: 0 },
  };
}

const NO_OTHER_GROUPS = { groups: 0, total: 0, abnormal: 0, error: 0, again: 0 };

export function breakdownFixture(): Breakdown {
  return {
    window: WINDOW,
    services: [
      { service: 'chat', total: 1000, abnormal: 250, error: 50, again: 20 },
      { service: 'feed', total: 200, abnormal: 50, error: 10, again: 10 },
    ],
    instances: [
      { service: 'chat', instance: 'chat-1', total: 600, abnormal: 200 },
      { service: 'chat', instance: 'chat-2', total: 400, abnormal: 50 },
      { service: 'feed', instance: 'feed-1', total: 200, abnormal: 50 },
    ],
    routes: [
      { service: 'chat', route: '/ws', total: 1000, abnormal: 250, error: 50, again: 20 },
      { service: 'feed', route: '/feed', total: 200, abnormal: 50, error: 10, again: 10 },
    ],
    other: { services: NO_OTHER_GROUPS, instances: NO_OTHER_GROUPS, routes: NO_OTHER_GROUPS },
  };
}

const EDGES = [0, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 45_000, 55_000, 60_000, 65_000, 90_000];

/** A 1006 wall at 60 s - 65 s (bucket 9), a spread of 1000s; the server sent 12 buckets. */
export function lifetimesFixture(): Lifetimes {
  return {
    window: WINDOW,
    buckets: EDGES.map((fromMs, index) => ({
      index,
      fromMs,
      toMs: EDGES[index + 1] ?? null,
      label: `server label ${index}`,
    })),
    byCode: [
      {
        code: 1000,
        name: 'Normal Closure',
        shortName: 'Normal',
        category: 'normal',
        total: 30,
        counts: [1, 2, 3, 4, 5, 5, 4, 3, 1, 1, 1],
      },
      {
        code: 1006,
        name: 'Abnormal Closure',
        shortName: 'Abnormal',
        category: 'abnormal',
        total: 100,
        counts: [2, 1, 1, 2, 1, 2, 1, 3, 2, 80, 5, 0],
      },
    ],
    other: null,
  };
}

export function eventFixture(seq: number, overrides: Partial<CloseEventView> = {}): CloseEventView {
  return {
    seq,
    id: `evt-${seq}`,
    // Higher seq = newer, as in the collector's table.
    ts: NOW - (1000 - seq) * 1000,
    receivedAt: NOW - (1000 - seq) * 1000 + 20,
    code: 1006,
    name: 'Abnormal Closure',
    shortName: 'Abnormal',
    category: 'abnormal',
    reason: '',
    reasonTruncated: false,
    reasonTemplate: '',
    wasClean: false,
    initiator: 'unknown',
    source: 'server',
    service: 'chat',
    instance: 'chat-1',
    route: '/ws',
    durationMs: 61_000,
    messagesIn: 10,
    messagesOut: 12,
    bytesIn: 2048,
    bytesOut: 512,
    labels: { region: 'eu' },
    clientKey: 'c0ffee0123456789',
    clientAgent: 'Chrome 131',
    previousCode: null,
    reconnectDelayMs: null,
    ...overrides,
  };
}

/** `count` events newest first, starting at seq `newestSeq`. */
export function eventsFixture(count: number, nextCursor: string | null, newestSeq = 100): EventsResponse {
  return { events: Array.from({ length: count }, (_, i) => eventFixture(newestSeq - i)), nextCursor };
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpError } from '../../src/http/http-error.js';
import { parseFilters } from '../../src/query/filters.js';
import { alignWindow, rollupLegs, rollupSpans } from '../../src/storage/time-window.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 26, 10, 0, 0);

function rejects(query: Record<string, string>, message: RegExp): void {
  assert.throws(
    () => parseFilters(query, T),
    (error: unknown) => error instanceof HttpError && error.statusCode === 400 && error.code === 'INVALID_QUERY' && message.test(error.message),
    JSON.stringify(query),
  );
}

describe('parseFilters', () => {
  it('defaults to the hour before now', () => {
    assert.deepEqual(parseFilters({}, T + 1234), {
      requested: { from: T + 1234 - HOUR, to: T + 1234 },
      window: { from: T - HOUR, to: T + MINUTE },
      filters: {},
    });
  });

  it('reads RFC 3339 (with offsets) and epoch milliseconds', () => {
    const q = parseFilters({ from: '2026-11-26T11:30:00+02:00', to: String(T + 90_000) }, T);
    assert.deepEqual(q.requested, { from: T - 30 * MINUTE, to: T + 90_000 });
    assert.deepEqual(q.window, { from: T - 30 * MINUTE, to: T + 2 * MINUTE });
  });

  it('parses every filter', () => {
    const q = parseFilters(
      { service: 'chat', instance: 'chat-1', route: '/ws', code: '1000, none,4001,1000', category: 'server-error', initiator: 'client', label: 'region:eu:west' },
      T,
    );
    assert.deepEqual(q.filters, {
      service: 'chat',
      instance: 'chat-1',
      route: '/ws',
      codes: [1000, null, 4001],
      category: 'server-error',
      initiator: 'client',
      label: { key: 'region', value: 'eu:west' },
    });
  });

  it('names the parameter and says how to fix it', () => {
    rejects({ code: 'abc' }, /^querystring\.code: "abc" is not a close code; use integers 0-65535 or none, comma separated$/);
    rejects({ code: '1000,65536' }, /^querystring\.code: "65536" is not a close code/);
    rejects({ code: '1000,' }, /^querystring\.code: "" is not a close code/);
    rejects({ from: 'yesterday' }, /^querystring\.from: "yesterday" must be RFC 3339 or epoch milliseconds/);
    rejects({ to: '2026-11-26' }, /^querystring\.to: /);
    rejects({ from: String(T), to: String(T) }, /^querystring\.from: must be before to/);
    rejects({ from: String(T - 32 * 24 * HOUR), to: String(T) }, /^querystring\.from: the range is longer than 31 days/);
    rejects({ category: 'fatal' }, /^querystring\.category: "fatal" is not a category; use one of normal, going-away,/);
    rejects({ initiator: 'proxy' }, /^querystring\.initiator: "proxy" must be server, client or unknown$/);
    rejects({ label: 'region' }, /^querystring\.label: "region" must be key:value/);
    rejects({ label: ':eu' }, /^querystring\.label: /);
  });

  it('accepts times from 2000-01-01 to 366 days after now, and nothing outside', () => {
    assert.deepEqual(parseFilters({ from: '2000-01-01T00:00:00Z', to: '2000-01-01T01:00:00Z' }, T).requested, { from: 946_684_800_000, to: 946_688_400_000 });
    assert.deepEqual(parseFilters({ to: String(T + 366 * 24 * HOUR) }, T).requested, { from: T + 366 * 24 * HOUR - HOUR, to: T + 366 * 24 * HOUR });
    const range = 'is out of range; times must be from 2000-01-01T00:00:00Z to 366 days after now';
    const cases: Array<[Record<string, string>, string]> = [
      [{ from: '9999999999999999' }, `querystring.from: "9999999999999999" ${range}`],
      [{ to: '9999999999999999' }, `querystring.to: "9999999999999999" ${range}`],
      [{ from: '0', to: '3600000' }, `querystring.to: "3600000" ${range}`],
      [{ from: '1999-12-31T23:59:59Z', to: '2000-01-01T01:00:00Z' }, `querystring.from: "1999-12-31T23:59:59Z" ${range}`],
      [{ to: String(T + 366 * 24 * HOUR + 1) }, `querystring.to: "${T + 366 * 24 * HOUR + 1}" ${range}`],
      [{ to: '9999-12-31T23:59:59Z' }, `querystring.to: "9999-12-31T23:59:59Z" ${range}`],
      [{ to: '-5' }, 'querystring.to: "-5" must be RFC 3339 or epoch milliseconds; for example 2026-11-26T10:00:00Z'],
      [{ from: '+300000-01-01T00:00:00Z' }, 'querystring.from: "+300000-01-01T00:00:00Z" must be RFC 3339 or epoch milliseconds; for example 2026-11-26T10:00:00Z'],
      [{ from: '300000-01-01T00:00:00Z' }, 'querystring.from: "300000-01-01T00:00:00Z" must be RFC 3339 or epoch milliseconds; for example 2026-11-26T10:00:00Z'],
    ];
    for (const [query, message] of cases) {
      assert.throws(() => parseFilters(query, T), (error: unknown) => error instanceof HttpError && error.statusCode === 400 && error.message === message, JSON.stringify(query));
    }
  });
});

describe('time windows', () => {
  it('widens to whole minutes', () => {
    assert.deepEqual(alignWindow(T + 1, T + HOUR - 1), { from: T, to: T + HOUR });
    assert.deepEqual(alignWindow(T, T + HOUR), { from: T, to: T + HOUR });
  });

  it('splits into whole hours and minute edges', () => {
    assert.deepEqual(rollupSpans({ from: T - 5 * MINUTE, to: T + 2 * HOUR + 7 * MINUTE }), {
      hours: { from: T, to: T + 2 * HOUR },
      minutes: [
        { from: T - 5 * MINUTE, to: T },
        { from: T + 2 * HOUR, to: T + 2 * HOUR + 7 * MINUTE },
      ],
    });
    assert.deepEqual(rollupSpans({ from: T, to: T + HOUR }), { hours: { from: T, to: T + HOUR }, minutes: [] });
    assert.deepEqual(rollupSpans({ from: T + MINUTE, to: T + HOUR + MINUTE }), {
      hours: null,
      minutes: [{ from: T + MINUTE, to: T + HOUR + MINUTE }],
    });
  });

  it('reads whole days from day rollups, the hours and minutes at their edges from finer ones', () => {
    const D0 = Date.UTC(2026, 10, 20);
    const DAY = 24 * HOUR;
    const window = { from: D0 - 2 * HOUR - 5 * MINUTE, to: D0 + 2 * DAY + HOUR + 7 * MINUTE };
    assert.deepEqual(rollupLegs(window, 'day'), [
      { level: 'day', span: { from: D0, to: D0 + 2 * DAY } },
      { level: 'hour', span: { from: D0 - 2 * HOUR, to: D0 } },
      { level: 'minute', span: { from: D0 - 2 * HOUR - 5 * MINUTE, to: D0 - 2 * HOUR } },
      { level: 'hour', span: { from: D0 + 2 * DAY, to: D0 + 2 * DAY + HOUR } },
      { level: 'minute', span: { from: D0 + 2 * DAY + HOUR, to: D0 + 2 * DAY + HOUR + 7 * MINUTE } },
    ]);
    assert.deepEqual(rollupLegs(window, 'hour'), [
      { level: 'hour', span: { from: D0 - 2 * HOUR, to: D0 + 2 * DAY + HOUR } },
      { level: 'minute', span: { from: D0 - 2 * HOUR - 5 * MINUTE, to: D0 - 2 * HOUR } },
      { level: 'minute', span: { from: D0 + 2 * DAY + HOUR, to: D0 + 2 * DAY + HOUR + 7 * MINUTE } },
    ]);
    assert.deepEqual(rollupLegs(window, 'minute'), [{ level: 'minute', span: window }]);
    // Less than a whole day: hours and minutes, as before.
    assert.deepEqual(rollupLegs({ from: D0 + MINUTE, to: D0 + DAY }, 'day'), [
      { level: 'hour', span: { from: D0 + HOUR, to: D0 + DAY } },
      { level: 'minute', span: { from: D0 + MINUTE, to: D0 + HOUR } },
    ]);
  });

  it('reads an edge longer than half a day as its whole day less the rest of it, for sums', () => {
    const D0 = Date.UTC(2026, 10, 20);
    const DAY = 24 * HOUR;
    // 03:07 on the first day to 13:30 on the last: both edges are longer than 12 hours.
    const week = { from: D0 - DAY + 3 * HOUR + 7 * MINUTE, to: D0 + 6 * DAY + 13 * HOUR + 30 * MINUTE };
    assert.deepEqual(rollupLegs(week, 'day', true), [
      { level: 'day', span: { from: D0, to: D0 + 6 * DAY } },
      { level: 'day', span: { from: D0 - DAY, to: D0 } },
      { level: 'hour', span: { from: D0 - DAY, to: D0 - DAY + 3 * HOUR }, subtract: true },
      { level: 'minute', span: { from: D0 - DAY + 3 * HOUR, to: D0 - DAY + 3 * HOUR + 7 * MINUTE }, subtract: true },
      { level: 'day', span: { from: D0 + 6 * DAY, to: D0 + 7 * DAY } },
      { level: 'hour', span: { from: D0 + 6 * DAY + 14 * HOUR, to: D0 + 7 * DAY }, subtract: true },
      { level: 'minute', span: { from: D0 + 6 * DAY + 13 * HOUR + 30 * MINUTE, to: D0 + 6 * DAY + 14 * HOUR }, subtract: true },
    ]);
    // 24 hours across one midnight: the long edge from its day, the short one from its hours.
    assert.deepEqual(rollupLegs({ from: D0 - 20 * HOUR, to: D0 + 4 * HOUR }, 'day', true), [
      { level: 'day', span: { from: D0 - DAY, to: D0 } },
      { level: 'hour', span: { from: D0 - DAY, to: D0 - 20 * HOUR }, subtract: true },
      { level: 'hour', span: { from: D0, to: D0 + 4 * HOUR } },
    ]);
    // Edges of half a day or less, and windows inside one day, read as without.
    const short = { from: D0 - 2 * HOUR - 5 * MINUTE, to: D0 + 2 * DAY + HOUR + 7 * MINUTE };
    assert.deepEqual(rollupLegs(short, 'day', true), rollupLegs(short, 'day'));
    assert.deepEqual(rollupLegs({ from: D0 + MINUTE, to: D0 + DAY - HOUR }, 'day', true), rollupLegs({ from: D0 + MINUTE, to: D0 + DAY - HOUR }, 'day'));
    // A day but its first minute: the day less that minute.
    assert.deepEqual(rollupLegs({ from: D0 + MINUTE, to: D0 + DAY }, 'day', true), [
      { level: 'day', span: { from: D0, to: D0 + DAY } },
      { level: 'minute', span: { from: D0, to: D0 + MINUTE }, subtract: true },
    ]);
  });

  it('reads minute rows from the rollup watermark on, and a day whole only when it ends before the watermark', () => {
    const D0 = Date.UTC(2026, 10, 20);
    const DAY = 24 * HOUR;
    const week = { from: D0 - DAY + 3 * HOUR + 7 * MINUTE, to: D0 + 6 * DAY + 13 * HOUR + 30 * MINUTE };
    // The first day (03:07 on): its whole day less its first hours, whatever the watermark after it.
    const firstDay = [
      { level: 'day', span: { from: D0 - DAY, to: D0 } },
      { level: 'hour', span: { from: D0 - DAY, to: D0 - DAY + 3 * HOUR }, subtract: true },
      { level: 'minute', span: { from: D0 - DAY + 3 * HOUR, to: D0 - DAY + 3 * HOUR + 7 * MINUTE }, subtract: true },
    ];
    // Rolled up to 10:00 of the last day: its 10:00-13:30 are minute rows, and the day is read from its hours.
    assert.deepEqual(rollupLegs(week, 'day', true, D0 + 6 * DAY + 10 * HOUR), [
      { level: 'day', span: { from: D0, to: D0 + 6 * DAY } },
      ...firstDay,
      { level: 'hour', span: { from: D0 + 6 * DAY, to: D0 + 6 * DAY + 10 * HOUR } },
      { level: 'minute', span: { from: D0 + 6 * DAY + 10 * HOUR, to: D0 + 6 * DAY + 13 * HOUR + 30 * MINUTE } },
    ]);
    // Rolled up to 13:00 the day before: that day's last 11 hours and the last day are minute rows.
    assert.deepEqual(rollupLegs(week, 'day', true, D0 + 5 * DAY + 13 * HOUR), [
      { level: 'day', span: { from: D0, to: D0 + 5 * DAY } },
      ...firstDay,
      { level: 'hour', span: { from: D0 + 5 * DAY, to: D0 + 5 * DAY + 13 * HOUR } },
      { level: 'minute', span: { from: D0 + 5 * DAY + 13 * HOUR, to: week.to } },
    ]);
    // A window after the watermark: minute rows only; one whose last day is rolled up whole: as without a watermark.
    assert.deepEqual(rollupLegs(week, 'day', true, week.from - HOUR), [{ level: 'minute', span: week }]);
    assert.deepEqual(rollupLegs(week, 'day', true, D0 + 7 * DAY), rollupLegs(week, 'day', true));
    assert.deepEqual(rollupLegs(week, 'hour', false, D0 + 2 * DAY), [
      { level: 'hour', span: { from: D0 - DAY + 4 * HOUR, to: D0 + 2 * DAY } },
      { level: 'minute', span: { from: D0 - DAY + 3 * HOUR + 7 * MINUTE, to: D0 - DAY + 4 * HOUR } },
      { level: 'minute', span: { from: D0 + 2 * DAY, to: week.to } },
    ]);
  });
});

describe('every read endpoint rejects bad filters the same way', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.destroy());

  const endpoints = ['stats/summary', 'stats/timeseries', 'stats/reasons', 'stats/breakdown', 'stats/lifetimes', 'stats/reconnects', 'events', 'export.csv'];

  it('answers 400 INVALID_QUERY naming the parameter', async () => {
    const cases: Array<[string, RegExp]> = [
      ['code=abc', /^querystring\.code: "abc" is not a close code; use integers 0-65535 or none, comma separated$/],
      ['from=soon', /^querystring\.from: /],
      [`service=${'s'.repeat(129)}`, /^querystring\.service: must be 1-128 characters$/],
      ['category=nope', /^querystring\.category: /],
      ['initiator=x', /^querystring\.initiator: /],
      ['label=x', /^querystring\.label: /],
      ['code=1000&code=1001', /^querystring\.code: /],
    ];
    for (const endpoint of endpoints) {
      for (const [query, message] of cases) {
        const res = await t.inject(`/api/v1/${endpoint}?${query}`);
        assert.equal(res.statusCode, 400, `${endpoint}?${query}`);
        const { error } = res.json<{ error: { code: string; message: string } }>();
        assert.equal(error.code, 'INVALID_QUERY');
        assert.match(error.message, message, `${endpoint}?${query}`);
      }
    }
  });

  it('answers absurd ranges and numbers with 400 naming the parameter, never 500', async () => {
    const range = 'is out of range; times must be from 2000-01-01T00:00:00Z to 366 days after now';
    const cases: Array<[string, string]> = [
      ['from=9999999999999999', `querystring.from: "9999999999999999" ${range}`],
      ['to=9999999999999999', `querystring.to: "9999999999999999" ${range}`],
      ['from=5&to=6', `querystring.to: "6" ${range}`],
      ['to=-5', 'querystring.to: "-5" must be RFC 3339 or epoch milliseconds; for example 2026-11-26T10:00:00Z'],
      ['to=300000-01-01T00:00:00Z', 'querystring.to: "300000-01-01T00:00:00Z" must be RFC 3339 or epoch milliseconds; for example 2026-11-26T10:00:00Z'],
    ];
    for (const endpoint of endpoints) {
      for (const [query, message] of cases) {
        const res = await t.inject(`/api/v1/${endpoint}?${query}`);
        assert.equal(res.statusCode, 400, `${endpoint}?${query}`);
        assert.deepEqual(res.json(), { error: { code: 'INVALID_QUERY', message } }, `${endpoint}?${query}`);
      }
    }
    const numbers: Array<[string, string]> = [
      ['events?limit=Infinity', 'querystring.limit: must be an integer from 1 to 500'],
      ['events?limit=1e400', 'querystring.limit: must be an integer from 1 to 500'],
      ['events?limit=-Infinity', 'querystring.limit: must be an integer from 1 to 500'],
      ['stats/reasons?limit=Infinity', 'querystring.limit: must be an integer from 1 to 50'],
      ['stats/timeseries?bucketMs=1e400', 'querystring.bucketMs: must be a whole number of minutes in milliseconds (a multiple of 60000)'],
      ['export.csv?kind=reasons&limit=Infinity', 'querystring.limit: must be an integer from 1 to 50'],
      ['export.csv?kind=timeseries&bucketMs=1e400', 'querystring.bucketMs: must be a whole number of minutes in milliseconds (a multiple of 60000)'],
      ['export.csv?kind=summary&top=-Infinity', 'querystring.top: must be an integer from 1 to 200'],
    ];
    for (const [path, message] of numbers) {
      const res = await t.inject(`/api/v1/${path}`);
      assert.equal(res.statusCode, 400, path);
      assert.deepEqual(res.json(), { error: { code: 'INVALID_QUERY', message } }, path);
    }
  });

  it('ignores unknown parameters (cache busters)', async () => {
    for (const endpoint of endpoints) {
      assert.equal((await t.inject(`/api/v1/${endpoint}?_=${Date.now()}`)).statusCode, 200, endpoint);
    }
  });
});

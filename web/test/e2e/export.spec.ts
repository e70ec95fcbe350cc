import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { sendEvents, startCollector, type Collector, type E2eEvent } from './collector.js';
import { expect, signIn, test, watchOrigin } from './dashboard-test.js';

/**
 * "Export CSV" in real Chromium: the link of the events explorer and of overview panels
 * downloads through the session cookie, and the file, read back with a real CSV parser,
 * holds exactly what was ingested for the view's filters and range.
 */

const MINUTE = 60_000;
let collector: Collector;
/** A whole-minute window of 30 minutes that holds every event sent. */
let from = 0;
let to = 0;

/** Service "csv": reasons with commas, quotes, line breaks, emoji and right-to-left text. */
const CSV_EVENTS: Array<Pick<E2eEvent, 'code' | 'reason' | 'route' | 'initiator' | 'labels'>> = [
  { code: 1000, reason: 'bye, see you', route: '/ws', initiator: 'server', labels: { region: 'eu-west' } },
  { code: 1011, reason: 'handler "join" failed', route: '/ws', initiator: 'server' },
  { code: 1011, reason: 'line one\nline two', route: '/rooms', initiator: 'server' },
  { code: 1013, reason: 'overloaded \u{1F525}', route: '/ws', initiator: 'server' },
  { code: 1001, reason: '\u05e9\u05dc\u05d5\u05dd, \u05e2\u05d5\u05dc\u05dd', route: '/ws', initiator: 'client' },
  { code: 1006, reason: '', route: '/rooms', initiator: 'unknown' },
  { code: 1011, reason: 'handler "join" failed', route: '/ws', initiator: 'server' },
];
let sent: Array<E2eEvent & { id: string; ts: number }> = [];

test.beforeAll(async () => {
  // Starting a collector (migrations included) takes seconds, more on a loaded machine.
  test.setTimeout(120_000);
  collector = await startCollector();
  watchOrigin(collector.url);
  to = Math.ceil(Date.now() / MINUTE) * MINUTE + MINUTE;
  from = to - 30 * MINUTE;
  const first = to - 20 * MINUTE;
  sent = CSV_EVENTS.map((e, i) => ({ ...e, id: `csv-${i}`, ts: first + i * MINUTE + 123, service: 'csv', instance: 'csv-1', durationMs: 1000 * (i + 1) }));
  // Another service, which the service filter must leave out of every export.
  const other: E2eEvent[] = [{ code: 1011, service: 'other', reason: 'not this one', ts: first }];
  expect(await sendEvents(collector, [...sent, ...other])).toEqual({ accepted: sent.length + 1, duplicates: 0, rejected: [] });
});

test.afterAll(async () => {
  await collector?.stop();
});

test.beforeEach(async ({ page }) => {
  await signIn(page.request, collector);
});

const view = (): string => `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&service=csv&live=0`;

async function download(page: Page, testId: string): Promise<{ file: Download; rows: Array<Record<string, string>> }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  expect(await file.failure()).toBeNull();
  const text = await readFile(await file.path(), 'utf8');
  return { file, rows: parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>> };
}

const fileTime = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace(':', '-') + 'Z';

test('the events explorer exports every event of the view, field by field', async ({ page }) => {
  await page.goto(`${collector.url}/events?${view()}`);
  await expect(page.getByTestId('event-row')).toHaveCount(sent.length);
  const { file, rows } = await download(page, 'export-events');
  expect(file.suggestedFilename()).toBe(`closewatch-events-csv-${fileTime(from)}--${fileTime(to)}.csv`);
  expect(rows.map((r) => ({ ...r }))).toEqual(
    sent.map((e) => ({
      timestamp: new Date(e.ts).toISOString(),
      service: 'csv',
      instance: 'csv-1',
      route: e.route,
      code: String(e.code),
      code_name: expect.any(String),
      short_name: expect.any(String),
      category: expect.any(String),
      reason: e.reason,
      reason_template: expect.any(String),
      was_clean: String(e.code !== 1006),
      initiator: e.initiator,
      source: expect.any(String),
      duration_ms: String(e.durationMs),
      messages_in: '',
      messages_out: '',
      bytes_in: '',
      bytes_out: '',
      labels: e.labels === undefined ? expect.any(String) : JSON.stringify(e.labels),
      client_key: e.clientKey ?? '',
      client_agent: '',
      previous_code: '',
      reconnect_delay_ms: '',
      id: e.id,
    })),
  );
  // Code names come from the registry.
  expect(rows.map((r) => `${r.code} ${r.code_name} (${r.short_name}) ${r.category}`)).toEqual([
    '1000 Normal Closure (Normal) normal',
    '1011 Internal Error (Error) server-error',
    '1011 Internal Error (Error) server-error',
    '1013 Try Again Later (Again) overload',
    '1001 Going Away (Away) going-away',
    '1006 Abnormal Closure (Abnormal) abnormal',
    '1011 Internal Error (Error) server-error',
  ]);
});

test('overview panels export their own numbers: the summary by code and the closures over time', async ({ page }) => {
  await page.goto(`${collector.url}/?${view()}`);
  await expect(page.getByTestId('total-closures')).toHaveText(String(sent.length));

  const summary = await download(page, 'export-summary');
  expect(summary.file.suggestedFilename()).toBe(`closewatch-summary-csv-${fileTime(from)}--${fileTime(to)}.csv`);
  const counts = new Map<string, number>();
  for (const e of sent) counts.set(String(e.code), (counts.get(String(e.code)) ?? 0) + 1);
  expect(Object.fromEntries(summary.rows.filter((r) => r.code !== '').map((r) => [r.code, Number(r.count)]))).toEqual(Object.fromEntries(counts));
  expect(summary.rows.find((r) => r.name === 'total')?.count).toBe(String(sent.length));
  expect(summary.rows.find((r) => r.code === '1011')).toMatchObject({ name: 'Internal Error', short_name: 'Error', category: 'server-error', count: '3' });

  const timeseries = await download(page, 'export-timeseries');
  const byCategory: Record<string, number> = {};
  for (const r of timeseries.rows) byCategory[r.category as string] = (byCategory[r.category as string] ?? 0) + Number(r.count);
  expect(Object.fromEntries(Object.entries(byCategory).filter(([, n]) => n > 0))).toEqual({
    normal: 1,
    'going-away': 1,
    abnormal: 1,
    'server-error': 3,
    overload: 1,
  });
  // The same numbers as the chart: its hidden data table, summed per category.
  const charted = await page.getByTestId('closures-by-category-data').evaluate((table) => {
    const sums: Record<string, number> = {};
    for (const cell of table.querySelectorAll('tbody td')) {
      const key = cell.getAttribute('data-key') ?? '';
      sums[key] = (sums[key] ?? 0) + Number(cell.textContent);
    }
    return sums;
  });
  expect(Object.fromEntries(Object.entries(charted).filter(([, n]) => n > 0))).toEqual(Object.fromEntries(Object.entries(byCategory).filter(([, n]) => n > 0)));
});

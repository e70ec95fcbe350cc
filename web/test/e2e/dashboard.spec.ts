import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { REPO_ROOT, sendEvents, startCollector, type Collector, type E2eEvent } from './collector.js';
import { expect, signIn, test, watchOrigin } from './dashboard-test.js';

/**
 * The dashboard in real Chromium, served by the real collector, fed through the real
 * ingest API: the numbers on screen are exactly the events sent. Each test signs in
 * through the API first (sign-in itself is tested in sign-in.spec.ts).
 */

const ARTIFACTS = join(REPO_ROOT, 'artifacts');
const MINUTE = 60_000;
let collector: Collector;

/**
 * The closes of service "chat", oldest first, one a minute: 5 x 1000, 3 x 1001,
 * 2 x 1006, 4 x 1011, 1 x 1013, 1 x 4001. They are sent in this order, so received
 * in this order too: newest first is exactly this list reversed.
 */
const CHAT: Array<[number, string]> = [
  [1000, 'bye'],
  [1011, 'handler failed'],
  [1001, 'navigating away'],
  [1006, ''],
  [1000, 'bye'],
  [1013, 'overloaded'],
  [1011, 'handler failed'],
  [4001, 'room 7 closed'],
  [1000, 'bye'],
  [1001, 'navigating away'],
  [1011, 'handler failed'],
  [1006, ''],
  [1000, 'bye'],
  [1001, 'navigating away'],
  [1011, 'handler failed'],
  [1000, 'bye'],
];
const CHAT_TOTAL = 16;
/** Times of the CHAT events, set when they are sent: 20 min ago .. 5 min ago. */
let chatTimes: number[] = [];

test.beforeAll(async () => {
  collector = await startCollector();
  watchOrigin(collector.url);
  const first = Date.now() - 20 * MINUTE;
  chatTimes = CHAT.map((_, i) => first + i * MINUTE);
  const events: E2eEvent[] = CHAT.map(([code, reason], i) => ({
    code,
    reason,
    service: 'chat',
    ts: chatTimes[i] as number,
    initiator: code === 1006 ? 'unknown' : 'server',
  }));
  // "feed" gets two events of its own, for the filter test.
  events.push({ code: 1000, service: 'feed', route: '/live' }, { code: 1011, service: 'feed', route: '/live', reason: 'boom' });
  expect(await sendEvents(collector, events)).toEqual({ accepted: CHAT_TOTAL + 2, duplicates: 0, rejected: [] });
});

test.afterAll(async () => {
  await collector?.stop();
});

test.beforeEach(async ({ page }) => {
  await signIn(page.request, collector);
});

async function openOverview(page: Page, query: string): Promise<void> {
  await page.goto(`${collector.url}/?${query}`);
  await expect(page.getByTestId('total-closures')).toBeVisible();
}

test('the overview shows exactly the events sent: tiles, distribution, charts', async ({ page }) => {
  // A window of exactly 60 whole minutes that holds every event sent: each rate is its count / 60.
  // (A relative "last hour" is widened to 61 minutes unless it ends on a whole minute.)
  const to = Math.ceil(Date.now() / MINUTE) * MINUTE + MINUTE;
  await openOverview(page, `from=${to - 60 * MINUTE}&to=${to}&live=0`);
  const total = CHAT_TOTAL + 2;
  await expect(page.getByTestId('total-closures')).toHaveText(String(total));
  // Abnormal: 2 x 1006 + 4 + 1 x 1011 = 7 of 18.
  await expect(page.getByTestId('tile-abnormal-share-value')).toHaveAttribute('data-value', String(7 / 18));
  await expect(page.getByTestId('tile-abnormal-share-value')).toHaveText('38.9%');
  // 18 closes, 5 x 1011 (4 chat + 1 feed) and 1 x 1013 in 60 minutes.
  await expect(page.getByTestId('tile-closures-per-minute-value')).toHaveAttribute('data-value', String(18 / 60));
  await expect(page.getByTestId('tile-closures-per-minute-value')).toHaveText('0.3');
  await expect(page.getByTestId('tile-error-rate-value')).toHaveAttribute('data-value', String(5 / 60));
  await expect(page.getByTestId('tile-error-rate-value')).toHaveText('0.08');
  await expect(page.getByTestId('tile-again-rate-value')).toHaveAttribute('data-value', String(1 / 60));
  await expect(page.getByTestId('tile-again-rate-value')).toHaveText('0.02');
  await expect(page.getByTestId('tile-closures-per-minute')).toContainText('closures/min');

  const expected = new Map<number, number>([[1000, 6], [1001, 3], [1006, 2], [1011, 5], [1013, 1], [4001, 1]]);
  for (const [code, count] of expected) {
    await expect(page.getByTestId(`code-count-${code}`)).toHaveText(String(count));
  }
  await expect(page.getByTestId('code-row-1011')).toContainText('1011 Internal Error (Error)');
  await expect(page.getByTestId('code-distribution').locator('[data-testid^="code-row-"]')).toHaveCount(expected.size);

  // The stacked chart's data: summed over its buckets, each category has its count.
  const byCategory = await page.getByTestId('closures-by-category-data').evaluate((table) => {
    const sums: Record<string, number> = {};
    for (const cell of table.querySelectorAll('tbody td')) {
      const key = cell.getAttribute('data-key') ?? '';
      sums[key] = (sums[key] ?? 0) + Number(cell.textContent);
    }
    return sums;
  });
  expect(Object.fromEntries(Object.entries(byCategory).filter(([, n]) => n > 0))).toEqual({
    normal: 6,
    'going-away': 3,
    abnormal: 2,
    'server-error': 5,
    overload: 1,
    application: 1,
  });

  // The browser prefers light (playwright.config.ts); the toggle switches to dark.
  mkdirSync(ARTIFACTS, { recursive: true });
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.screenshot({ path: join(ARTIFACTS, 'overview-light.png'), fullPage: true });
  await page.getByTestId('theme-toggle').click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.screenshot({ path: join(ARTIFACTS, 'overview-dark.png'), fullPage: true });
});

test('a filter in the URL is applied', async ({ page }) => {
  await openOverview(page, 'range=1h&service=feed&live=0');
  await expect(page.getByTestId('total-closures')).toHaveText('2');
  await expect(page.getByTestId('code-count-1011')).toHaveText('1');
  await expect(page.getByTestId('code-count-1000')).toHaveText('1');
  await expect(page.getByTestId('code-distribution').locator('[data-testid^="code-row-"]')).toHaveCount(2);
});

test('the events explorer lists every event, newest first', async ({ page }) => {
  await page.goto(`${collector.url}/events?range=1h&service=chat&live=0`);
  const rows = page.getByTestId('event-row');
  await expect(rows).toHaveCount(CHAT_TOTAL);
  // CHAT reversed: the last one sent (and the latest ts) on top.
  const newestFirst = ['1000', '1011', '1001', '1000', '1006', '1011', '1001', '1000', '4001', '1011', '1013', '1000', '1006', '1001', '1011', '1000'];
  expect(await rows.evaluateAll((list) => list.map((r) => r.getAttribute('data-code')))).toEqual(newestFirst);
  // The first cell is the event's time in UTC (the page's zone), to the millisecond.
  const utc = (ts: number): string => new Date(ts).toISOString().slice(0, 23).replace('T', ' ');
  expect(await rows.evaluateAll((list) => list.map((r) => r.querySelector('td')?.textContent))).toEqual([...chatTimes].reverse().map(utc));
});

test('a new close arrives live, without a reload', async ({ page }) => {
  await openOverview(page, 'range=1h&service=live-test&live=1');
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  await expect(page.getByTestId('total-closures')).toHaveText('0');
  let reloaded = false;
  page.on('framenavigated', () => {
    reloaded = true;
  });
  expect(await sendEvents(collector, [{ code: 1013, service: 'live-test', reason: 'overloaded', ts: Date.now() }])).toEqual({
    accepted: 1,
    duplicates: 0,
    rejected: [],
  });
  await expect(page.getByTestId('total-closures')).toHaveText('1');
  await expect(page.getByTestId('code-count-1013')).toHaveText('1');
  expect(reloaded).toBe(false);
});

test('the empty state, the close-code tooltip and a chart tooltip work under the CSP', async ({ page }) => {
  // A past window without closures, before any event: the first-event guide.
  await page.goto(`${collector.url}/?from=2020-01-01T00:00:00Z&to=2020-01-01T01:00:00Z&live=0`);
  await expect(page.getByTestId('empty-state').getByRole('heading', { level: 2 })).toHaveText('No closures recorded yet');

  await openOverview(page, 'range=1h&service=chat&live=0');
  // Positioned with a style property set through the DOM, which the CSP allows (a style="" attribute it would not).
  await page.getByTestId('code-row-1011').locator('.code-label').hover();
  await expect(page.getByRole('tooltip')).toContainText('1011 Internal Error (Error)');
  const chart = page.getByTestId('closures-by-category').locator('.chart-canvas');
  await chart.hover();
  await expect(chart.locator('.recharts-tooltip-wrapper')).toBeVisible();
});

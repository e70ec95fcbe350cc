import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { REPO_ROOT, sendEvents, startCollector, type Collector, type E2eEvent } from './collector.js';

/**
 * The dashboard in real Chromium, served by the real collector, fed through the real
 * ingest API: the numbers on screen are exactly the events sent.
 */

const ARTIFACTS = join(REPO_ROOT, 'artifacts');
let collector: Collector;

// Counts by code for service "chat"; "feed" gets its own two events for the filter test.
const CHAT: Array<[number | null, number, string]> = [
  [1000, 5, 'bye'],
  [1001, 3, 'navigating away'],
  [1006, 2, ''],
  [1011, 4, 'handler failed'],
  [1013, 1, 'overloaded'],
  [4001, 1, 'room 7 closed'],
];
const CHAT_TOTAL = 16;

test.beforeAll(async () => {
  collector = await startCollector();
  const events: E2eEvent[] = CHAT.flatMap(([code, n, reason]) =>
    Array.from({ length: n }, (_, i) => ({ code, reason, service: 'chat', ts: Date.now() - (i + 2) * 60_000, initiator: code === 1006 ? 'unknown' : 'server' }) as E2eEvent),
  );
  events.push({ code: 1000, service: 'feed', route: '/live' }, { code: 1011, service: 'feed', route: '/live', reason: 'boom' });
  expect((await sendEvents(collector, events)).accepted).toBe(CHAT_TOTAL + 2);
});

test.afterAll(async () => {
  await collector?.stop();
});

async function openOverview(page: Page, query: string): Promise<void> {
  await page.goto(`${collector.url}/?${query}`);
  await expect(page.getByTestId('total-closures')).toBeVisible();
}

test('the overview shows exactly the events sent: tiles, distribution, charts', async ({ page }) => {
  await openOverview(page, 'range=1h&live=0');
  const total = CHAT_TOTAL + 2;
  await expect(page.getByTestId('total-closures')).toHaveText(String(total));
  // Abnormal: 2 x 1006 + 4 + 1 x 1011 = 7 of 18.
  await expect(page.getByTestId('tile-abnormal-share-value')).toHaveAttribute('data-value', String(7 / 18));
  await expect(page.getByTestId('tile-abnormal-share-value')).toHaveText('38.9%');
  const perMinute = Number(await page.getByTestId('tile-closures-per-minute-value').getAttribute('data-value'));
  const errorPerMinute = Number(await page.getByTestId('tile-error-rate-value').getAttribute('data-value'));
  const againPerMinute = Number(await page.getByTestId('tile-again-rate-value').getAttribute('data-value'));
  // Every rate is over the same window: their ratios are the exact count ratios.
  expect(errorPerMinute / perMinute).toBeCloseTo(5 / 18, 10);
  expect(againPerMinute / perMinute).toBeCloseTo(1 / 18, 10);
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

  mkdirSync(ARTIFACTS, { recursive: true });
  const theme = async (): Promise<string | null> => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  const first = await theme();
  await page.screenshot({ path: join(ARTIFACTS, `overview-${first}.png`), fullPage: true });
  await page.getByTestId('theme-toggle').click();
  await expect.poll(theme).not.toBe(first);
  await page.screenshot({ path: join(ARTIFACTS, `overview-${await theme()}.png`), fullPage: true });
});

test('a filter in the URL is applied', async ({ page }) => {
  await openOverview(page, 'range=1h&service=feed&live=0');
  await expect(page.getByTestId('total-closures')).toHaveText('2');
  await expect(page.getByTestId('code-count-1011')).toHaveText('1');
  await expect(page.getByTestId('code-count-1000')).toHaveText('1');
  await expect(page.getByTestId('code-row-1006')).toHaveCount(0);
});

test('the events explorer lists every event, newest first', async ({ page }) => {
  await page.goto(`${collector.url}/events?range=1h&service=chat&live=0`);
  await expect(page.getByTestId('event-row')).toHaveCount(CHAT_TOTAL);
  const codes = await page.getByTestId('event-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
  expect(codes.filter((c) => c === '1011')).toHaveLength(4);
});

test('a new close arrives live, without a reload', async ({ page }) => {
  await openOverview(page, 'range=1h&service=live-test&live=1');
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  await expect(page.getByTestId('total-closures')).toHaveText('0');
  let reloaded = false;
  page.on('framenavigated', () => {
    reloaded = true;
  });
  await sendEvents(collector, [{ code: 1013, service: 'live-test', reason: 'overloaded', ts: Date.now() }]);
  await expect(page.getByTestId('total-closures')).toHaveText('1');
  await expect(page.getByTestId('code-count-1013')).toHaveText('1');
  expect(reloaded).toBe(false);
});

import type { APIRequestContext } from '@playwright/test';
import { sendEvents, startCollector, type Collector } from './collector.js';
import { expect, signIn, test, watchOrigin } from './dashboard-test.js';

/**
 * Teams' own code names end to end: a code named through the API shows by name in the
 * overview's distribution and its tooltip, in the events explorer and in the filter chip;
 * a code named in the Codes page's form is listed there and named on the overview.
 */

let collector: Collector;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  collector = await startCollector();
  watchOrigin(collector.url);
  expect(
    await sendEvents(collector, [
      { code: 4001, reason: 'room 7 closed' },
      { code: 4001, reason: 'room 8 closed' },
      { code: 4005 },
      { code: 1000 },
    ]),
  ).toEqual({ accepted: 4, duplicates: 0, rejected: [] });
});

test.afterAll(async () => {
  await collector?.stop();
});

test.beforeEach(async ({ page }) => {
  await signIn(page.request, collector);
});

async function putName(request: APIRequestContext, code: number, data: Record<string, unknown>): Promise<void> {
  const response = await request.put(`${collector.url}/api/v1/codes/${code}`, { data, timeout: 10_000 });
  expect(response.status(), await response.text()).toBe(201);
}

test('a code named through the API shows by name on the overview, in its tooltip, the filter chip and the events', async ({ page }) => {
  await putName(page.request, 4001, { name: 'Room closed', meaning: 'The owner closed the room.', category: 'normal', retry: false, alertWorthy: true });
  await page.goto(`${collector.url}/?range=1h&live=0`);
  await expect(page.getByTestId('code-row-4001')).toContainText('4001 Room closed');
  await expect(page.getByTestId('code-count-4001')).toHaveText('2');
  await expect(page.getByTestId('code-row-4005')).toContainText('4005 Private (application)');
  await page.getByTestId('code-row-4001').locator('.code-label').hover();
  await expect(page.getByRole('tooltip')).toContainText('4001 Room closed');
  await expect(page.getByRole('tooltip')).toContainText('The owner closed the room.');
  await expect(page.getByTestId('code-tooltip-custom')).toHaveText("Your team's code: clients should not reconnect; alert-worthy.");

  await page.goto(`${collector.url}/events?range=1h&code=4001&live=0`);
  await expect(page.getByTestId('event-row')).toHaveCount(2);
  await expect(page.getByTestId('event-row').first()).toContainText('4001 Room closed');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('4001 Room closed');
});

test('the Codes page lists the names, refuses an RFC code and adds a name through its form', async ({ page }) => {
  await page.goto(`${collector.url}/codes`);
  await expect(page.getByTestId('custom-code-row')).toHaveCount(1);
  await expect(page.getByTestId('custom-code-row')).toContainText('4001 Room closed');

  await page.getByTestId('code-new').click();
  await page.getByTestId('code-number').fill('1011');
  await page.getByTestId('code-name').fill('Mine now');
  await page.getByTestId('code-save').click();
  await expect(page.getByTestId('code-form').getByRole('alert')).toContainText('Give a code from 3000 to 4999');

  await page.getByTestId('code-number').fill('4005');
  await page.getByTestId('code-name').fill('Kicked');
  await page.getByTestId('code-category').selectOption('client-error');
  await page.getByTestId('code-save').click();
  await expect(page.getByTestId('code-form')).toHaveCount(0);
  await expect(page.getByTestId('custom-code-row')).toHaveCount(2);
  await expect(page.locator('[data-testid="custom-code-row"][data-code="4005"]')).toContainText('4005 Kicked');

  await page.goto(`${collector.url}/?range=1h&live=0`);
  await expect(page.getByTestId('code-row-4005')).toContainText('4005 Kicked');
});

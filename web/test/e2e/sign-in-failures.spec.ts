import { startCollector, type Collector } from './collector.js';
import { expect, test, watchOrigin } from './dashboard-test.js';

/**
 * The sign-in page's answers to a collector that will not take another try (one sign-in
 * attempt a minute here) and to one that is gone. The tests run in order: the last one
 * stops the collector.
 */

let collector: Collector;

test.beforeAll(async () => {
  collector = await startCollector({ LOGIN_RATE_LIMIT: '1' });
  watchOrigin(collector.url);
});

test.afterAll(async () => {
  await collector?.stop();
});

test('too many tries: says how long to wait and holds the form until then', async ({ page }) => {
  // The page's clock stands still (timers still run), so the time to wait until is exact.
  const now = Date.UTC(2026, 11, 1, 21, 15, 0);
  await page.clock.setFixedTime(now);
  await page.goto(`${collector.url}/sign-in`);
  const password = page.getByLabel('Admin password');
  const submit = page.getByRole('button', { name: 'Sign in' });
  await password.fill('first-wrong-guess');
  await submit.click();
  await expect(page.getByTestId('sign-in-error')).toHaveAttribute('data-kind', 'wrong-password');

  await password.fill('second-wrong-guess');
  const answer = page.waitForResponse((r) => r.url() === `${collector.url}/api/v1/session` && r.request().method() === 'POST', { timeout: 10_000 });
  await submit.click();
  const limited = await answer;
  expect(limited.status()).toBe(429);
  const retryAfter = Number(limited.headers()['retry-after']);
  const until = new Date(now + retryAfter * 1000).toISOString().slice(11, 19);
  await expect(page.getByTestId('sign-in-error').locator('p')).toHaveText([
    'Too many sign-in attempts from this address.',
    `Wait ${retryAfter} s (until ${until}), then try again.`,
  ]);
  await expect(submit).toBeDisabled();
});

test('a collector that is gone: says so and how to start it', async ({ page }) => {
  await page.goto(`${collector.url}/sign-in`);
  await expect(page.getByLabel('Admin password')).toBeVisible();
  await collector.stop();
  await page.getByLabel('Admin password').fill('any-password-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('sign-in-error').locator('p')).toHaveText([
    `Cannot reach the collector at ${collector.url}.`,
    'Start it with `npm start` (or `npm run dev`), then sign in again.',
  ]);
});

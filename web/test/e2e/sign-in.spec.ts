import { join } from 'node:path';
import { request as apiRequest } from '@playwright/test';
import { REPO_ROOT, sendEvents, startCollector, type Collector } from './collector.js';
import { expect, signIn, test, watchOrigin } from './dashboard-test.js';

/**
 * Signing in and out in real Chromium against the real collector (started with
 * CLOSEWATCH_ADMIN_PASSWORD): deep links survive the detour through the sign-in page,
 * a wrong password is explained, signing out ends the session on the collector, and a
 * live feed refused after the session ended brings the reader to the sign-in page.
 */

const ARTIFACTS = join(REPO_ROOT, 'artifacts');
const DEEP_LINK = '/events?range=6h&service=chat&code=1011,1013&initiator=server&label=region:eu&live=0';
const HELP = [
  'The collector printed it once, at its first start, under \u201cAdmin password\u201d in the output of npm start.',
  'If CLOSEWATCH_ADMIN_PASSWORD is set where the collector runs, the password is that value.',
  'Lost it? npm run keys -- reset-admin-password sets a new one and prints it (and signs every browser out).',
];

let collector: Collector;

test.beforeAll(async () => {
  collector = await startCollector();
  watchOrigin(collector.url);
  expect(
    await sendEvents(collector, [
      { code: 1011, service: 'chat', reason: 'handler failed', labels: { region: 'eu' }, ts: Date.now() - 60_000 },
      { code: 1000, service: 'chat', reason: 'bye', ts: Date.now() - 60_000 },
    ]),
  ).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
});

test.afterAll(async () => {
  await collector?.stop();
});

test('a deep link opened signed out goes through the sign-in page and lands exactly there', async ({ page }) => {
  await page.goto(`${collector.url}${DEEP_LINK}`);
  await expect(page).toHaveURL(`${collector.url}/sign-in?next=${encodeURIComponent(DEEP_LINK)}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to closewatch');
  await expect(page.getByTestId('sign-in-help').locator('li')).toHaveText(HELP);
  await expect(page.getByLabel('Admin password')).toBeFocused();
  await page.screenshot({ path: join(ARTIFACTS, 'sign-in.png'), fullPage: true });

  await page.getByLabel('Admin password').fill(collector.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${collector.url}${DEEP_LINK}`);
  // The view of the link, with its filters: the one 1011 of chat in region eu.
  await expect(page.getByTestId('event-row')).toHaveCount(1);
  await expect(page.getByTestId('event-row')).toHaveAttribute('data-code', '1011');
  await expect(page.getByTestId('sign-out')).toHaveText('Sign out');
  // Back does not return to the sign-in page: it took the link's place in the history.
  await page.goBack();
  await expect(page).toHaveURL('about:blank');
});

test('the sign-in page loads directly, and a foreign next is not followed', async ({ page }) => {
  const direct = await page.goto(`${collector.url}/sign-in?next=${encodeURIComponent('//evil.example/x')}`);
  expect(direct?.status()).toBe(200);
  await page.getByLabel('Admin password').fill(collector.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${collector.url}/`);
  await expect(page.getByTestId('total-closures')).toHaveText('2');
});

test('a wrong password says so and what to do', async ({ page }) => {
  await page.goto(`${collector.url}/sign-in`);
  const password = page.getByLabel('Admin password');
  await password.fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('sign-in-error').locator('p')).toHaveText([
    'That password is wrong.',
    'Type it again (it is case-sensitive); where the password comes from is explained below.',
  ]);
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(`${collector.url}/sign-in`);
  const summary = await page.request.get(`${collector.url}/api/v1/stats/summary`);
  expect(summary.status()).toBe(401);
});

test('signing out returns to the sign-in page and the collector refuses the old session', async ({ page }) => {
  await signIn(page.request, collector);
  await page.goto(`${collector.url}/?range=1h&live=0`);
  await expect(page.getByTestId('total-closures')).toHaveText('2');
  const cookie = (await page.context().cookies()).find((c) => c.name === 'closewatch_session');
  expect(cookie?.httpOnly).toBe(true);

  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(`${collector.url}/sign-in`);
  await expect(page.getByLabel('Admin password')).toBeVisible();

  const after = await page.request.get(`${collector.url}/api/v1/stats/summary`);
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe('NOT_SIGNED_IN');
  // The session is gone on the collector, not only from this browser.
  const replay = await apiRequest.newContext({ extraHTTPHeaders: { cookie: `closewatch_session=${cookie?.value}` } });
  try {
    const replayed = await replay.get(`${collector.url}/api/v1/stats/summary`, { timeout: 10_000 });
    expect(replayed.status()).toBe(401);
  } finally {
    await replay.dispose();
  }
  // And the dashboard itself goes back to the sign-in page.
  await page.goto(`${collector.url}/events?range=1h&live=0`);
  await expect(page).toHaveURL(`${collector.url}/sign-in?next=${encodeURIComponent('/events?range=1h&live=0')}`);
});

test('when the session ends, the refused live feed brings the reader to the sign-in page', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page.request, collector);
  const view = '/?range=1h&live=1';
  // The page's own reads must have finished before the session ends: one still in flight
  // on a loaded machine would be refused and bring the sign-in page itself.
  const readsInFlight = new Set<string>();
  const isRead = (url: string): boolean => url.includes('/api/v1/') && !url.endsWith('/api/v1/session');
  page.on('request', (request) => {
    if (isRead(request.url())) readsInFlight.add(request.url());
  });
  page.on('requestfinished', (request) => readsInFlight.delete(request.url()));
  page.on('requestfailed', (request) => readsInFlight.delete(request.url()));
  await page.goto(`${collector.url}${view}`);
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  await expect.poll(() => [...readsInFlight], { timeout: 60_000 }).toEqual([]);
  const refusedReads: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 401 && !response.url().endsWith('/api/v1/session')) refusedReads.push(response.url());
  });

  // Signed out elsewhere (another tab): the open socket stays, the session is gone.
  expect((await page.request.delete(`${collector.url}/api/v1/session`)).status()).toBe(204);
  // The collector restarts: the socket drops, and its reconnections are refused.
  await collector.restart();
  await expect(page).toHaveURL(`${collector.url}/sign-in?next=${encodeURIComponent(view)}`, { timeout: 60_000 });
  // The live feed's session check brought it, not a refused read.
  expect(refusedReads).toEqual([]);

  await page.getByLabel('Admin password').fill(collector.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${collector.url}${view}`);
  await expect(page.getByTestId('live-status')).toHaveText('Live');
});

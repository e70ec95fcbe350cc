import { join } from 'node:path';
import { REPO_ROOT, sendEvents, startCollector, type Collector } from './collector.js';
import { expect, settle, signIn, test, watchOrigin } from './dashboard-test.js';

/**
 * Close reasons, labels, routes and service names come from whoever connects to the
 * instrumented servers: anyone. Markup in them must show as the text it is. The page
 * guards (dashboard-test.ts) fail a test on any dialog, any request to another origin,
 * any CSP violation and any uncaught error; the text is also checked, exactly as sent.
 */

const ARTIFACTS = join(REPO_ROOT, 'artifacts');
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';
const SVG_LABEL = '"><svg onload=alert(3)>';
// Label keys are a closed alphabet (markup in a key is refused at ingest), so the
// hostile part of a label is its value.
const KEY = 'x.img';
const FOREIGN_IMG = '<img src=https://evil.example/p.png>';
const ROUTE = '/ws"><script>alert(4)</script>';
const SERVICE = '<img src=x onerror=alert(5)>';
const INSTANCE = '<style>body{display:none}</style>';

let collector: Collector;

test.beforeAll(async () => {
  collector = await startCollector();
  watchOrigin(collector.url);
  const now = Date.now();
  expect(
    await sendEvents(collector, [
      { code: 4001, reason: IMG, service: 'hostile', route: ROUTE, instance: INSTANCE, labels: { note: SVG_LABEL, [KEY]: FOREIGN_IMG }, ts: now - 3 * 60_000 },
      { code: 4002, reason: SCRIPT, service: 'hostile', route: ROUTE, instance: INSTANCE, ts: now - 2 * 60_000 },
      // A second service, so the breakdown draws its chart (service names on an SVG axis).
      { code: 1000, reason: 'bye', service: SERVICE, ts: now - 60_000 },
    ]),
  ).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
});

test.afterAll(async () => {
  await collector?.stop();
});

test.beforeEach(async ({ page }) => {
  await signIn(page.request, collector);
});

test('the page guards see a dialog, a foreign request and a CSP violation', async ({ page, findings }) => {
  // Without this, the other tests could pass because the guards see nothing at all.
  await page.goto(`${collector.url}/?range=1h&live=0`);
  await expect(page.getByTestId('total-closures')).toHaveText('3');
  await page.evaluate(() => {
    document.body.setAttribute('style', 'outline: 1px solid red');
    void fetch('https://evil.example/beacon').catch(() => undefined);
    window.open('https://evil.example/popup');
    window.alert('guard check');
  });
  await expect.poll(() => findings.cspViolations.length, { timeout: 10_000 }).toBe(2);
  await settle(page);
  expect(findings.cspViolations.map((v) => `${v.directive} ${v.blocked}`)).toEqual(['style-src-attr inline', 'connect-src https://evil.example/beacon']);
  expect(findings.cspConsole).toEqual([
    expect.stringMatching(/^Applying inline style violates the following Content Security Policy directive 'style-src 'self''/),
    "Connecting to 'https://evil.example/beacon' violates the following Content Security Policy directive: \"connect-src 'self'\". The action has been blocked.",
    "Fetch API cannot load https://evil.example/beacon. Refused to connect because it violates the document's Content Security Policy.",
  ]);
  expect(findings.dialogs).toEqual(['alert: guard check']);
  expect(findings.foreignRequests).toEqual(['https://evil.example/popup']);
  expect(findings.pageErrors).toEqual([]);
  // Seen: now clear them, or the guard fails this test too.
  Object.assign(findings, { dialogs: [], foreignRequests: [], cspViolations: [], cspConsole: [], pageErrors: [] });
});

test('markup in reasons, services, routes and instances shows as text on the overview', async ({ page }) => {
  await page.goto(`${collector.url}/?range=1h&live=0`);
  await expect(page.getByTestId('total-closures')).toHaveText('3');

  // Top reasons: the template (numbers become {n}) and, under Examples, the reason as sent.
  const img = page.getByTestId('reasons-4001');
  await expect(img.locator('.reason-cell > code')).toHaveText('<img src=x onerror=alert({n})>');
  await img.getByText('Examples').click();
  await expect(img.locator('.reason-examples li code')).toHaveText([IMG]);
  await expect(img.locator('.reason-examples li code')).toBeVisible();
  const script = page.getByTestId('reasons-4002');
  await expect(script.locator('.reason-cell > code')).toHaveText('<script>alert({n})</script>');
  await script.getByText('Examples').click();
  await expect(script.locator('.reason-examples li code')).toHaveText([SCRIPT]);
  await expect(script.locator('.reason-examples li code')).toBeVisible();

  // The breakdown: service names (also on the chart's axis), routes and instances.
  const breakdown = page.getByTestId('breakdown-panel');
  await expect(breakdown.getByTestId(`service-row-${SERVICE}`).locator('td').first()).toHaveText(SERVICE);
  // The chart's service axis: recharts wraps a label into one <tspan> per line.
  const axis = breakdown.locator('svg text[orientation="left"]');
  await expect(axis).toHaveCount(2);
  expect(await axis.evaluateAll((texts) => texts.map((t) => [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(' ')))).toEqual([
    'hostile',
    SERVICE,
  ]);
  await breakdown.getByRole('tab', { name: 'Routes' }).click();
  await expect(breakdown.getByTestId('breakdown-routes').locator('tbody tr td:nth-child(2)')).toHaveText([ROUTE, '/ws']);
  await breakdown.getByRole('tab', { name: 'Instances' }).click();
  await expect(breakdown.getByTestId('breakdown-instances').locator('tbody tr td:nth-child(2)')).toHaveText([INSTANCE, 'chat-1']);
  // The <style> is text: the page is still displayed.
  await expect(page.locator('body')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'hostile-text-overview.png'), fullPage: true });
});

test('markup in reasons and labels shows as text in the events explorer and the filter bar', async ({ page }) => {
  const label = `note:${SVG_LABEL}`;
  await page.goto(`${collector.url}/events?range=1h&label=${encodeURIComponent(label)}&live=0`);
  const rows = page.getByTestId('event-row');
  await expect(rows).toHaveCount(1);
  const cells = rows.first().locator('td');
  await expect(cells.nth(2)).toHaveText(IMG);
  await expect(cells.nth(7)).toHaveText(ROUTE);
  await expect(cells.nth(6)).toHaveText(INSTANCE);
  await expect(rows.first().locator('.label-chip')).toHaveText([`note:${SVG_LABEL}`, `${KEY}:${FOREIGN_IMG}`]);
  await expect(page.getByTestId('filter-bar').locator('input[name="label"]')).toHaveValue(label);
  await expect(page.getByRole('button', { name: `Remove filter label ${label}` })).toBeVisible();

  await page.goto(`${collector.url}/events?range=1h&service=hostile&live=0`);
  await expect(rows).toHaveCount(2);
  await expect(rows.locator('td:nth-child(3)')).toHaveText([SCRIPT, IMG]);
  await page.screenshot({ path: join(ARTIFACTS, 'hostile-text-events.png'), fullPage: true });
});

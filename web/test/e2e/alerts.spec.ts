import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext } from '@playwright/test';
import { instrument, type Instrumentation } from '@closewatch/sdk';
import { WebSocket, WebSocketServer } from 'ws';
import { startCollector, type Collector } from './collector.js';
import { expect, signIn, test, watchOrigin } from './dashboard-test.js';

/**
 * Alerting end to end: a real `ws` server instrumented with the SDK closes a burst of
 * sockets with 1011; the real collector (evaluating every 500 ms) fires a rule; a real
 * local HTTP server receives the webhook; the banner appears in Chromium without a
 * reload; the Alerts page shows the alert, the rule, its backtest and the delivery log.
 */

const BURST = 12;
const RULE = 'Burst of 1011';

interface Received {
  event: string;
  version: number;
  rule: { name: string };
  group: { service?: string };
  value: number | null;
  status: string;
}

let collector: Collector;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Test notifications answered 503 so far (the first one is, to show a failed attempt). */
let refusedTests = 0;
let ruleId = '';
/** When the burst was delivered (epoch ms). */
let burstAt = 0;

function startReceiver(): Promise<void> {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const payload = JSON.parse(body) as Received;
      if (payload.event === 'test' && refusedTests === 0) {
        refusedTests += 1;
        res.writeHead(503).end('busy');
        return;
      }
      received.push(payload);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    receiver.listen(0, '127.0.0.1', () => {
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      resolve();
    }),
  );
}

async function api<T>(request: APIRequestContext, method: 'get' | 'post' | 'patch', path: string, data?: unknown): Promise<T> {
  const response = await request[method](`${collector.url}${path}`, { ...(data === undefined ? {} : { data }), timeout: 10_000 });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/** Opens `BURST` sockets to an SDK-instrumented server that closes each with 1011, and delivers the closes. */
async function closeBurst(): Promise<void> {
  const sdkErrors: string[] = [];
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const closewatch: Instrumentation = instrument(wss, {
    apiKey: collector.key,
    collectorUrl: collector.url,
    service: 'burst',
    instance: 'burst-1',
    flushIntervalMs: 60_000,
    flushOnExit: false,
    onError: (error) => sdkErrors.push(error.message),
  });
  wss.on('connection', (socket) => socket.close(1011, 'handler failed'));
  const port = (wss.address() as AddressInfo).port;
  try {
    await Promise.all(
      Array.from({ length: BURST }, () => {
        const client = new WebSocket(`ws://127.0.0.1:${port}/jobs`);
        return new Promise<number>((resolve, reject) => {
          client.once('close', (code) => resolve(code));
          client.once('error', reject);
        }).then((code) => expect(code).toBe(1011));
      }),
    );
    // Every close is recorded on the server side once its socket is gone; one flush sends them in one batch.
    await expect.poll(async () => (await closewatch.flush(), closewatch.client.stats().delivered), { timeout: 10_000 }).toBe(BURST);
    expect(sdkErrors).toEqual([]);
  } finally {
    await closewatch.close();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
}

test.beforeAll(async () => {
  // Starting a collector (migrations included) takes seconds, more on a loaded machine.
  test.setTimeout(120_000);
  await startReceiver();
  collector = await startCollector({ ALERT_EVAL_INTERVAL_MS: '500', ALERT_INGEST_LAG_MS: '0' });
  watchOrigin(collector.url);
});

test.afterAll(async () => {
  await collector?.stop();
  if (receiver?.listening) {
    const closed = new Promise<void>((resolve) => receiver.close(() => resolve()));
    receiver.closeAllConnections();
    await closed;
  }
});

test.beforeEach(async ({ page }) => {
  await signIn(page.request, collector);
});

test('a burst of 1011 closes fires the rule: the banner appears without a reload and the webhook arrives', async ({ page }) => {
  const { request } = page;
  // Only the rule under test: the built-in anomaly rules would also see the burst.
  const { rules } = await api<{ rules: Array<{ id: string; builtin: string | null }> }>(request, 'get', '/api/v1/alert-rules');
  for (const r of rules.filter((r) => r.builtin !== null)) await api(request, 'patch', `/api/v1/alert-rules/${r.id}`, { enabled: false });
  await api(request, 'post', '/api/v1/notification-targets', { name: 'e2e hook', kind: 'webhook', url: receiverUrl });
  const rule = await api<{ id: string }>(request, 'post', '/api/v1/alert-rules', {
    name: RULE,
    selector: { codes: [1011], service: 'burst' },
    // Over 2 minutes: a burst that straddles a minute boundary still counts whole. Above
    // BURST - 1: the SDK may deliver the burst in several batches, and the rule fires
    // only once all of it is in, so the value it fires with is exactly BURST.
    condition: { type: 'threshold', measure: 'count', windowMinutes: 2, above: BURST - 1 },
    forMs: 0,
    keepFiringForMs: 5 * 60_000,
    severity: 'critical',
  });
  ruleId = rule.id;

  await page.goto(`${collector.url}/?range=15m&live=1`);
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await expect(page.getByTestId('alert-banner')).toHaveCount(0);
  // Set on this document only: still there after the banner shows = no reload happened.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  await closeBurst();
  burstAt = Date.now();

  const banner = page.getByTestId('alert-banner');
  await expect(banner).toBeVisible({ timeout: 20_000 });
  await expect(banner).toHaveAttribute('data-severity', 'critical');
  await expect(banner).toContainText('1 alert firing');
  await expect(banner.getByTestId('banner-alert')).toHaveText(new RegExp(`^${RULE} on burst since .*: 12 closes in 2 min against a baseline of 11 closes in 2 min$`));
  expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  await expect.poll(() => received.filter((r) => r.event === 'firing').length, { timeout: 15_000 }).toBe(1);
  const firing = received.find((r) => r.event === 'firing') as Received;
  expect(firing).toMatchObject({ version: 1, status: 'firing', rule: { name: RULE }, group: { service: 'burst' }, value: BURST });

  // The closures chart marks the episode.
  await expect(page.getByTestId('closures-by-category-bands').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('closures-by-category-bands')).toContainText(`${RULE} on burst`);

  await banner.getByTestId('banner-link').click();
  await expect(page).toHaveURL(/\/alerts\?/);
  await expect(page.getByTestId('active-alert')).toHaveAttribute('data-state', 'firing');
});

test('the Alerts page shows the alert, the rule with its backtest, a silence, and the delivery log with a test notification', async ({ page }) => {
  // It builds on the rule the first test fired: without it, this one fails too, never silently passes.
  expect(ruleId, 'the rule the first test fired').not.toBe('');
  // Up to a minute of it waits for the burst's minute to be complete (see the backtest below).
  test.setTimeout(150_000);
  await page.goto(`${collector.url}/alerts?range=1h&live=1`);

  const active = page.getByTestId('active-alert');
  await expect(active).toHaveCount(1);
  await expect(active).toHaveAttribute('data-state', 'firing');
  await expect(active).toContainText(RULE);
  await expect(active).toContainText('12 closes in 2 min');
  await expect(active).toContainText('1011 Internal Error (Error)');
  await expect(active).toContainText('handler failed');
  await expect(page.getByTestId('episode-row')).toHaveCount(1);

  const row = page.locator(`[data-testid="rule-row"][data-rule-id="${ruleId}"]`);
  await expect(row).toContainText('1011 Internal Error (Error) on service burst');
  await expect(row).toContainText('more than 11 closes in 2 min');

  // Silence the rule: the active alert says so.
  await row.getByTestId('rule-silence').click();
  const form = page.getByTestId('silence-form');
  await expect(form.getByTestId('silence-rule')).toHaveValue(ruleId);
  await form.getByTestId('silence-save').click();
  await expect(form.getByRole('alert')).toContainText('Say why in the comment');
  await form.getByTestId('silence-comment').fill('e2e: known burst');
  await form.getByTestId('silence-by').fill('e2e');
  await form.getByTestId('silence-save').click();
  const silence = page.getByTestId('silence-row');
  await expect(silence).toHaveAttribute('data-active', 'true');
  await expect(silence).toContainText(`rule \u201c${RULE}\u201d`);
  await expect(active.getByTestId('silenced')).toBeVisible();
  await silence.getByTestId('silence-expire').click();
  await expect(silence).toHaveAttribute('data-active', 'false');
  await expect(active.getByTestId('silenced')).toHaveCount(0);

  // The delivery log: the firing notification, then a test that fails once and then works.
  const target = page.getByTestId('target-row');
  await expect(target).toHaveCount(1);
  await target.getByTestId('target-log').click();
  const attempts = target.getByTestId('attempt-row');
  await expect(attempts).toHaveCount(1);
  await expect(attempts.first()).toHaveAttribute('data-event', 'firing');
  await expect(attempts.first()).toHaveAttribute('data-status', '200');
  const log = () => attempts.evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-event')} ${r.getAttribute('data-status')}`));
  await target.getByTestId('target-test').click();
  await expect(target.getByTestId('target-test-result')).toHaveAttribute('data-ok', 'false');
  await expect(target.getByTestId('target-test-result')).toContainText('HTTP 503: busy');
  // A 503 is retried by the outbox 2 s later; the open log follows without a click.
  await expect.poll(log, { timeout: 15_000 }).toEqual(['test 200', 'test 503', 'firing 200']);
  expect(received.filter((r) => r.event === 'test')).toHaveLength(1);
  await target.getByTestId('target-test').click();
  await expect(target.getByTestId('target-test-result')).toHaveAttribute('data-ok', 'true');
  await expect.poll(log).toEqual(['test 200', 'test 200', 'test 503', 'firing 200']);
  expect(received.filter((r) => r.event === 'test')).toHaveLength(2);

  // The editor backtests the rule as typed, over the last 24 h, and charts it.
  // A backtest replays complete minutes: wait for the burst's minute to be over.
  const wait = Math.floor(burstAt / 60_000) * 60_000 + 60_000 + 500 - Date.now();
  if (wait > 0) await page.waitForTimeout(wait);
  await row.getByTestId('rule-edit').click();
  const editor = page.getByTestId('rule-editor');
  await expect(editor.getByTestId('rule-name')).toHaveValue(RULE);
  await editor.getByTestId('rule-backtest').click();
  await expect(editor.getByTestId('backtest-summary')).toHaveText(/^This rule would have fired 1 time in the last 24 h \(complete minutes only; \d+ one-minute evaluations\)\.$/);
  await expect(editor.getByTestId('backtest-episode')).toHaveCount(1);
  await expect(editor.getByTestId('backtest-episode')).toContainText('burst');
  await expect(editor.getByTestId('backtest-chart-bands').locator('li')).toHaveCount(1);
  // A stricter threshold would not have fired.
  await editor.getByTestId('rule-above').fill('12');
  await editor.getByTestId('rule-backtest').click();
  await expect(editor.getByTestId('backtest-summary')).toHaveText(/^This rule would not have fired in the last 24 h/);
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await expect(editor).toHaveCount(0);
});

test('the rule editor says what is wrong with a field, then creates, disables and deletes a rule', async ({ page }) => {
  await page.goto(`${collector.url}/alerts?range=1h&live=0`);
  await expect(page.getByTestId('rules-table')).toBeVisible();
  await page.getByTestId('rule-new').click();
  const editor = page.getByTestId('rule-editor');
  await editor.getByTestId('rule-codes').fill('1013, abc');
  await editor.getByTestId('rule-save').click();
  await expect(editor.getByTestId('field-error-name')).toContainText('give the rule a name');
  await expect(editor.getByTestId('field-error-codes')).toHaveText('not close codes: abc (write codes 0-65535 or "none", comma separated)');
  await editor.getByTestId('rule-name').fill('Again on e2e');
  await editor.getByTestId('rule-codes').fill('1013');
  await editor.getByTestId('rule-condition').selectOption('threshold');
  await editor.getByTestId('rule-measure').selectOption('rate');
  await editor.getByTestId('rule-above').fill('50');
  await editor.getByTestId('rule-save').click();
  await expect(editor).toHaveCount(0);

  const row = page.getByTestId('rule-row').filter({ hasText: 'Again on e2e' });
  await expect(row).toContainText('1013 Try Again Later');
  await expect(row).toContainText('more than 50 closes/min over 5 min');
  await expect(row).toHaveAttribute('data-enabled', 'true');
  // The box follows the collector's answer, not the click.
  await row.getByTestId('rule-toggle').click();
  await expect(row).toHaveAttribute('data-enabled', 'false');
  await row.getByTestId('rule-delete').click();
  await row.getByTestId('rule-delete-confirm').click();
  await expect(page.getByTestId('rule-row').filter({ hasText: 'Again on e2e' })).toHaveCount(0);
});

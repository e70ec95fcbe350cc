import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import WebSocket from 'ws';
import { sendEvents, startCollector, type Collector } from './collector.js';
import { expect, test, watchOrigin } from './dashboard-test.js';

/**
 * `npm run dev`: the dashboard from Vite's dev server, the API and the live socket
 * through its proxy to a real collector. The collector takes the live socket from its
 * own origin only; the proxy passes on the dev server's own pages as that origin, and
 * nobody else.
 */

const WEB_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let collector: Collector;
let vite: ViteDevServer;
let devUrl: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  collector = await startCollector();
  // vite.config.ts reads the proxy target when it is loaded.
  process.env.CLOSEWATCH_COLLECTOR = collector.url;
  vite = await createServer({
    root: WEB_ROOT,
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  await vite.listen();
  devUrl = (vite.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');
  expect(devUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  watchOrigin(devUrl);
});

test.afterAll(async () => {
  delete process.env.CLOSEWATCH_COLLECTOR;
  await vite?.close();
  await collector?.stop();
});

test('signs in through the proxy and the live socket passes the Origin check', async ({ page }) => {
  test.setTimeout(120_000);
  const view = '/?range=1h&service=dev-proxy&live=1';
  // The first load compiles the dashboard: a generous deadline.
  await page.goto(`${devUrl}${view}`, { timeout: 60_000 });
  await expect(page).toHaveURL(`${devUrl}/sign-in?next=${encodeURIComponent(view)}`, { timeout: 60_000 });
  await page.getByLabel('Admin password').fill(collector.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${devUrl}${view}`);
  // The cookie the collector set through the proxy belongs to the dev server's host.
  const cookies = (await page.context().cookies(devUrl)).map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }));
  expect(cookies).toEqual([{ name: 'closewatch_session', httpOnly: true, sameSite: 'Lax' }]);

  await expect(page.getByTestId('live-status')).toHaveText('Live', { timeout: 30_000 });
  // The first numbers are in before the event is sent (a tick that lands while a read is
  // still on its way does not start another one).
  await expect(page.getByTestId('total-closures')).toHaveText('0');
  expect(await sendEvents(collector, [{ code: 1013, service: 'dev-proxy', reason: 'overloaded', ts: Date.now() }])).toEqual({
    accepted: 1,
    duplicates: 0,
    rejected: [],
  });
  await expect(page.getByTestId('total-closures')).toHaveText('1');
});

/** Opens the live socket through the proxy; resolves with 'open', or the refused upgrade's status and error code. */
function openLive(url: string, headers: Record<string, string>): Promise<{ status: number | 'open'; code?: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to the upgrade within 10 s')), 10_000);
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      clearTimeout(timer);
      socket.close();
      resolve({ status: 'open' });
    });
    // A refused upgrade is answered and closed by the collector; the client does not abort it.
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, code: (JSON.parse(body) as { error: { code: string } }).error.code });
      });
    });
    socket.on('error', () => {});
  });
}

test('the proxy does not speak for other sites: their Origin still reaches the collector', async ({ page }) => {
  const signIn = await page.request.post(`${devUrl}/api/v1/session`, { data: { password: collector.password }, timeout: 10_000 });
  expect(signIn.status()).toBe(200);
  const cookie = (await page.context().cookies(devUrl)).find((c) => c.name === 'closewatch_session');
  const live = `${devUrl.replace(/^http/, 'ws')}/api/v1/live`;
  const headers = { cookie: `closewatch_session=${cookie?.value}` };
  expect(await openLive(live, { ...headers, origin: devUrl })).toEqual({ status: 'open' });
  expect(await openLive(live, { ...headers, origin: 'https://evil.example' })).toEqual({ status: 403, code: 'FOREIGN_ORIGIN' });
});

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { WebSocketServer } from 'ws';
import { REPO_ROOT, childEnv, startCollector, type Collector } from './collector.js';
import { signIn } from './dashboard-test.js';

/**
 * The browser SDK in real Chromium against the real collector: a page served from an
 * allowed origin reports its closes; the same page from another origin is refused by
 * CORS; a close right before navigating away still arrives (keepalive on page hide).
 */

const SDK_DIST = join(REPO_ROOT, 'sdk/dist');
const run = promisify(execFile);

let collector: Collector;
let allowed: Server;
let refused: Server;
let allowedOrigin: string;
let refusedOrigin: string;
let browserKey: string;

function pageServer(): Server {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://page');
    if (url.pathname.startsWith('/sdk/')) {
      const file = normalize(join(SDK_DIST, url.pathname.slice('/sdk/'.length)));
      if (!file.startsWith(SDK_DIST)) return res.writeHead(403).end();
      readFile(file).then(
        (body) => res.writeHead(200, { 'content-type': extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream' }).end(body),
        () => res.writeHead(404).end(),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>page</title><p>test page</p>');
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      if (String(data) === 'close-4001') socket.close(4001, 'room 7 closed');
      if (String(data) === 'close-1012') socket.close(1012, 'rolling restart');
    });
  });
  return server;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server | undefined): Promise<void> {
  if (!server?.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

interface StoredRow {
  code: number;
  reason: string;
  source: string;
  initiator: string;
  was_clean: number;
}

function storedFor(service: string): StoredRow[] {
  const db = new Database(collector.databaseUrl.slice('file:'.length), { readonly: true });
  try {
    return db.prepare<[string], StoredRow>('SELECT code, reason, source, initiator, was_clean FROM close_event WHERE service = ?').all(service);
  } finally {
    db.close();
  }
}

test.beforeAll(async () => {
  collector = await startCollector();
  allowed = pageServer();
  refused = pageServer();
  allowedOrigin = await listen(allowed);
  refusedOrigin = await listen(refused);
  const { stdout } = await run(process.execPath, ['--conditions=closewatch-source', '--import', 'tsx', join(REPO_ROOT, 'server/src/cli/keys.ts'), 'create', '--name', 'e2e-browser', '--browser', '--origin', allowedOrigin], {
    cwd: REPO_ROOT,
    env: childEnv({ DATABASE_URL: collector.databaseUrl }),
    timeout: 30_000,
  });
  browserKey = /^(cw_\S+)$/m.exec(stdout)?.[1] ?? '';
  expect(browserKey).toMatch(/^cw_\S+$/);
});

test.afterAll(async () => {
  await Promise.all([close(allowed), close(refused)]);
  await collector?.stop();
});

/** What the SDK's onError received, reduced to plain data. */
interface ReportedError {
  name: string;
  kind: string;
  status: number | null;
  retryInMs: number | null;
  message: string;
}

/**
 * In the page: observe a socket, let the server close it with 4001, then wait until the
 * event is delivered or the SDK reports its first error, whichever comes first (10 s at
 * most). Retries are a minute apart, so at most one attempt is made meanwhile.
 */
async function closeOneSocket(page: Page, service: string): Promise<ReportedError[]> {
  return page.evaluate(
    async ({ collectorUrl, apiKey, service }) => {
      const sdk = await import('/sdk/browser/index.js' as string);
      const errors: ReportedError[] = [];
      let firstError: () => void = () => {};
      const reported = new Promise<void>((resolve) => {
        firstError = resolve;
      });
      const socket = new WebSocket(`ws://${location.host}/ws`);
      const observation = sdk.observe(socket, {
        collectorUrl,
        apiKey,
        service,
        flushIntervalMs: 60_000,
        retryBaseDelayMs: 60_000,
        retryMaxDelayMs: 60_000,
        onError: (e: { name: string; kind: string; status?: number; retryInMs?: number; message: string }) => {
          errors.push({ name: e.name, kind: e.kind, status: e.status ?? null, retryInMs: e.retryInMs ?? null, message: e.message });
          firstError();
        },
      });
      await new Promise((resolve) => socket.addEventListener('open', resolve));
      socket.send('close-4001');
      await new Promise((resolve) => socket.addEventListener('close', resolve));
      await Promise.race([observation.flush(10_000), reported]);
      return errors;
    },
    { collectorUrl: collector.url, apiKey: browserKey, service },
  );
}

/** Console errors of the page (Chromium reports a CORS refusal there, and only there). */
function consoleErrors(page: Page): string[] {
  const messages: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') messages.push(message.text());
  });
  return messages;
}

test('a page on an allowed origin reports its close, marked as a browser event', async ({ page }) => {
  const logged = consoleErrors(page);
  await page.goto(`${allowedOrigin}/`);
  const errors = await closeOneSocket(page, 'browser-allowed');
  expect(errors).toEqual([]);
  expect(logged).toEqual([]);
  expect(storedFor('browser-allowed')).toEqual([{ code: 4001, reason: 'room 7 closed', source: 'browser', initiator: 'server', was_clean: 1 }]);
});

test('the same page on another origin is refused by CORS and nothing is stored', async ({ page }) => {
  // The collector's side: the preflight from that origin is refused with a reason, and
  // carries no Access-Control-Allow-Origin; the allowed origin's preflight gets its own.
  const preflight = (origin: string) =>
    fetch(`${collector.url}/api/v1/events`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      signal: AbortSignal.timeout(10_000),
    });
  const refusal = await preflight(refusedOrigin);
  expect(refusal.status).toBe(403);
  expect(refusal.headers.get('access-control-allow-origin')).toBeNull();
  expect(await refusal.json()).toEqual({
    error: {
      code: 'ORIGIN_NOT_ALLOWED',
      message: `origin ${refusedOrigin} is not allowed by any browser key; create one with \`npm run keys -- create --name <name> --browser --origin ${refusedOrigin}\``,
    },
  });
  const acceptance = await preflight(allowedOrigin);
  expect(acceptance.status).toBe(204);
  expect(acceptance.headers.get('access-control-allow-origin')).toBe(allowedOrigin);

  // The browser's side: Chromium blocks the POST, the SDK reports a network failure
  // (a page is never told why a cross-origin request failed) and will retry.
  const logged = consoleErrors(page);
  await page.goto(`${refusedOrigin}/`);
  const errors = await closeOneSocket(page, 'browser-refused');
  expect(errors).toHaveLength(1);
  const retryInMs = errors[0]?.retryInMs ?? Number.NaN;
  expect(errors).toEqual([
    {
      name: 'ClosewatchError',
      kind: 'delivery_retry',
      status: null,
      retryInMs,
      message: `closewatch: could not reach the collector (Failed to fetch); retrying 1 events in ${retryInMs} ms`,
    },
  ]);
  // retryBaseDelayMs 60 s with equal jitter: between half of it and all of it.
  expect(retryInMs).toBeGreaterThanOrEqual(30_000);
  expect(retryInMs).toBeLessThanOrEqual(60_000);
  // Console messages arrive on their own channel: wait for them (10 s at most).
  await expect.poll(() => logged, { timeout: 10_000 }).toEqual([
    `Access to fetch at '${collector.url}/api/v1/events' from origin '${refusedOrigin}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    'Failed to load resource: net::ERR_FAILED',
  ]);
  expect(storedFor('browser-refused')).toEqual([]);
});

test('a close right before navigating away still arrives', async ({ page }) => {
  await page.goto(`${allowedOrigin}/`);
  await page.evaluate(
    async ({ collectorUrl, apiKey }) => {
      const sdk = await import('/sdk/browser/index.js' as string);
      const socket = new WebSocket(`ws://${location.host}/ws`);
      // A flush interval of a minute: only the page-hide flush can deliver this event.
      sdk.observe(socket, { collectorUrl, apiKey, service: 'browser-unload', flushIntervalMs: 60_000 });
      await new Promise((resolve) => socket.addEventListener('open', resolve));
      socket.addEventListener('close', () => {
        location.href = 'about:blank';
      });
      socket.close(1000, 'leaving');
    },
    { collectorUrl: collector.url, apiKey: browserKey },
  );
  await page.waitForURL('about:blank');
  await expect.poll(() => storedFor('browser-unload'), { timeout: 10_000 }).toEqual([
    { code: 1000, reason: 'leaving', source: 'browser', initiator: 'client', was_clean: 1 },
  ]);
});

interface ReconnectRow {
  code: number;
  initiator: string;
  client_key: string | null;
  client_agent: string | null;
  previous_code: number | null;
  reconnect_delay_ms: number | null;
}

test('a page that reconnects after a 1012 reports the previous code and the delay, and the collector counts the reconnect', async ({ page }) => {
  await page.goto(`${allowedOrigin}/`);
  const waited = await page.evaluate(
    async ({ collectorUrl, apiKey }) => {
      const sdk = await import('/sdk/browser/index.js' as string);
      const options = { collectorUrl, apiKey, service: 'browser-reconnect', flushIntervalMs: 60_000 };
      const first = new WebSocket(`ws://${location.host}/ws`);
      sdk.observe(first, options);
      await new Promise((resolve) => first.addEventListener('open', resolve));
      first.send('close-1012');
      await new Promise((resolve) => first.addEventListener('close', resolve));
      const closedAt = Date.now();
      // The page's own backoff: 2 s after the restart.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const second = new WebSocket(`ws://${location.host}/ws`);
      const observation = sdk.observe(second, options);
      await new Promise((resolve) => second.addEventListener('open', resolve));
      const waitedMs = Date.now() - closedAt;
      second.close(1000, 'done');
      await new Promise((resolve) => second.addEventListener('close', resolve));
      await observation.flush(10_000);
      return waitedMs;
    },
    { collectorUrl: collector.url, apiKey: browserKey },
  );
  const db = new Database(collector.databaseUrl.slice('file:'.length), { readonly: true });
  let rows: ReconnectRow[];
  try {
    rows = db
      .prepare<[string], ReconnectRow>('SELECT code, initiator, client_key, client_agent, previous_code, reconnect_delay_ms FROM close_event WHERE service = ? ORDER BY ts')
      .all('browser-reconnect');
  } finally {
    db.close();
  }
  expect(rows).toHaveLength(2);
  const [first, second] = rows as [ReconnectRow, ReconnectRow];
  expect([first.code, first.initiator, first.previous_code, first.reconnect_delay_ms]).toEqual([1012, 'server', null, null]);
  expect([second.code, second.previous_code]).toEqual([1000, 1012]);
  // The delay the SDK measured is the page's own wait (its listeners run just before the
  // page's, so a millisecond or two either way).
  expect(second.reconnect_delay_ms).toBeGreaterThanOrEqual(2_000);
  expect(Math.abs((second.reconnect_delay_ms ?? 0) - waited)).toBeLessThanOrEqual(50);
  expect(first.client_key).toMatch(/^[0-9a-f]{16}$/);
  expect(second.client_key).toBe(first.client_key);
  expect(first.client_agent).toMatch(/^(Headless)?Chrome \d+$/);

  // The collector matches the close to the next socket of the same tab.
  await signIn(page.request, collector);
  const stats = await page.request.get(`${collector.url}/api/v1/stats/reconnects?service=browser-reconnect`);
  expect(stats.status()).toBe(200);
  const body = (await stats.json()) as { closes: number; reconnected: number; notReturned: number; delayHistogram: Array<{ label: string; count: number }> };
  expect([body.closes, body.reconnected, body.notReturned]).toEqual([1, 1, 0]);
  expect(body.delayHistogram.filter((b) => b.count > 0)).toEqual([expect.objectContaining({ label: '1.5 s - 3 s', count: 1 })]);
});


import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { WebSocketServer } from 'ws';
import { REPO_ROOT, startCollector, type Collector } from './collector.js';

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
    });
  });
  return server;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function storedFor(service: string): Array<{ code: number; reason: string; source: string; initiator: string; was_clean: number }> {
  const db = new Database(collector.databaseUrl.slice('file:'.length), { readonly: true });
  try {
    return db.prepare('SELECT code, reason, source, initiator, was_clean FROM close_event WHERE service = ?').all(service) as never;
  } finally {
    db.close();
  }
}

test.beforeAll(async () => {
  collector = await startCollector();
  allowed = pageServer();
  refused = pageServer();
  const allowedOrigin = await listen(allowed);
  await listen(refused);
  const { stdout } = await run(process.execPath, ['--conditions=closewatch-source', '--import', 'tsx', join(REPO_ROOT, 'server/src/cli/keys.ts'), 'create', '--name', 'e2e-browser', '--browser', '--origin', allowedOrigin], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: collector.databaseUrl },
  });
  browserKey = /^(cw_\S+)$/m.exec(stdout)?.[1] ?? '';
  expect(browserKey).not.toBe('');
});

test.afterAll(async () => {
  allowed?.close();
  refused?.close();
  await collector?.stop();
});

const pageUrl = (server: Server): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

/** In the page: observe a socket, let the server close it with 4001, flush, return the SDK's errors. */
async function closeOneSocket(page: import('@playwright/test').Page, service: string): Promise<string[]> {
  return page.evaluate(
    async ({ collectorUrl, apiKey, service }) => {
      const sdk = await import('/sdk/browser/index.js' as string);
      const errors: string[] = [];
      const socket = new WebSocket(`ws://${location.host}/ws`);
      const observation = sdk.observe(socket, { collectorUrl, apiKey, service, flushIntervalMs: 60_000, onError: (e: Error) => errors.push(e.message) });
      await new Promise((resolve) => socket.addEventListener('open', resolve));
      socket.send('close-4001');
      await new Promise((resolve) => socket.addEventListener('close', resolve));
      await observation.flush(5000);
      return errors;
    },
    { collectorUrl: collector.url, apiKey: browserKey, service },
  );
}

test('a page on an allowed origin reports its close, marked as a browser event', async ({ page }) => {
  await page.goto(pageUrl(allowed));
  const errors = await closeOneSocket(page, 'browser-allowed');
  expect(errors).toEqual([]);
  expect(storedFor('browser-allowed')).toEqual([{ code: 4001, reason: 'room 7 closed', source: 'browser', initiator: 'server', was_clean: 1 }]);
});

test('the same page on another origin is refused by CORS and nothing is stored', async ({ page }) => {
  await page.goto(pageUrl(refused));
  const errors = await closeOneSocket(page, 'browser-refused');
  expect(errors.length).toBeGreaterThan(0);
  expect(storedFor('browser-refused')).toEqual([]);
});

test('a close right before navigating away still arrives', async ({ page }) => {
  await page.goto(pageUrl(allowed));
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

import { expect, test as base, type APIRequestContext, type Page } from '@playwright/test';

import type { Collector } from './collector.js';

/**
 * `test` for the dashboard's pages: every page is watched for the whole test, and the
 * test fails if the page
 * - opened a dialog (`alert(1)` from an injected script),
 * - made a request or opened a WebSocket to any origin but the collector's (popups
 *   included; such requests are aborted, nothing leaves the machine),
 * - broke the Content Security Policy (a `securitypolicyviolation` event, or a console
 *   error about it),
 * - threw an uncaught error.
 * The collector's origin is set per file with `watchOrigin(collector.url)` in beforeAll.
 */

let allowedOrigin: string | null = null;

/** The one origin pages of this file may talk to. */
export function watchOrigin(url: string): void {
  allowedOrigin = new URL(url).origin;
}

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  where: string;
}

export interface PageFindings {
  dialogs: string[];
  foreignRequests: string[];
  /** `securitypolicyviolation` events of the page. */
  cspViolations: Violation[];
  /** Console errors that name the Content Security Policy. */
  cspConsole: string[];
  pageErrors: string[];
}

const NOTHING: PageFindings = { dialogs: [], foreignRequests: [], cspViolations: [], cspConsole: [], pageErrors: [] };

declare global {
  interface Window {
    __closewatchCspViolation?: (violation: Violation) => void;
  }
}

/** Sends each violation out of the page at once: the page may navigate right after. */
function reportViolations(): void {
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__closewatchCspViolation?.({
      directive: event.violatedDirective,
      blocked: event.blockedURI,
      sample: event.sample,
      where: `${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
    });
  });
}

const isForeignUrl = (url: URL): boolean => isForeign(url.href);

function isForeign(url: string): boolean {
  if (!/^(https?|wss?):/.test(url)) return false;
  const origin = new URL(url.replace(/^ws/, 'http')).origin;
  return origin !== allowedOrigin;
}

async function watch(page: Page, findings: PageFindings): Promise<void> {
  if (allowedOrigin === null) throw new Error('call watchOrigin(collector.url) in beforeAll before opening pages');
  await page.exposeFunction('__closewatchCspViolation', (violation: Violation) => {
    findings.cspViolations.push(violation);
  });
  await page.addInitScript(reportViolations);
  page.on('dialog', (dialog) => {
    findings.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  const context = page.context();
  context.on('request', (request) => {
    if (isForeign(request.url())) findings.foreignRequests.push(request.url());
  });
  await context.route(isForeignUrl, (route) => route.abort());
  page.on('websocket', (socket) => {
    if (isForeign(socket.url())) findings.foreignRequests.push(socket.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) findings.cspConsole.push(message.text());
  });
  page.on('pageerror', (error) => {
    findings.pageErrors.push(error.message);
  });
}

/**
 * Lets reports already queued in the page arrive: a violation event is a task of its
 * own and its report a round trip, both queued before this evaluation's answer.
 */
export async function settle(page: Page): Promise<void> {
  if (page.isClosed()) return;
  await page.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 0))).catch(() => undefined);
}

export const test = base.extend<{ findings: PageFindings }>({
  findings: async ({}, use) => {
    await use(structuredClone(NOTHING));
  },
  page: async ({ page, findings }, use) => {
    await watch(page, findings);
    await use(page);
    await settle(page);
    expect(findings).toEqual(NOTHING);
  },
});

export { expect };

/**
 * Signs the browser context in through the API (the context's request shares its
 * cookies), so a test that is not about signing in starts signed in and fast.
 */
export async function signIn(request: APIRequestContext, collector: Collector): Promise<void> {
  const response = await request.post(`${collector.url}/api/v1/session`, { data: { password: collector.password }, timeout: 10_000 });
  expect(response.status(), await response.text()).toBe(200);
}

/**
 * No answer of the collector tells where it runs: no response body or header carries the
 * database's path, the dashboard's folder, the repository, the working directory or a
 * home folder, whatever the credential and however malformed the request. Every route of
 * the route table is asked, so a route added later is asked too.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { REPO_ROOT } from '../../src/storage/database-url.js';
import { adminSession } from '../helpers/admin-session.js';
import { routeMethods, upgradesToWebSocket } from '../helpers/route-table.js';
import { startTestApp, TEST_KEY, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let dashboard: string;
let session: string;

before(async () => {
  // A built dashboard of two files, so the static routes are in the table and asked too.
  dashboard = mkdtempSync(join(tmpdir(), 'closewatch-dashboard-'));
  mkdirSync(join(dashboard, 'assets'));
  writeFileSync(join(dashboard, 'index.html'), '<!doctype html><title>closewatch</title>');
  writeFileSync(join(dashboard, 'assets', 'app.js'), 'void 0;');
  t = await startTestApp({ DASHBOARD_DIR: dashboard });
  session = await adminSession(t);
});
after(async () => {
  await t.destroy();
  rmSync(dashboard, { recursive: true, force: true });
});

/** What no response may contain, longest first (so a report names the most precise one). */
function needles(): string[] {
  return [
    t.db.path,
    dirname(t.db.path),
    dashboard,
    REPO_ROOT,
    process.cwd(),
    `${tmpdir()}/`,
    '/home/',
    '/root/',
    '/work/',
  ]
    // A working directory of `/` would match everything and say nothing.
    .filter((needle) => needle.length > 1)
    .sort((a, b) => b.length - a.length);
}

const INVALID_JSON = '{"events": [ {"code": 1000,';

test('no response of any route, credential or malformed request carries an absolute path', async () => {
  const credentials: Record<string, Record<string, string>> = {
    none: {},
    'read token': { authorization: `Bearer ${t.readToken}` },
    'ingest key': { authorization: `Bearer ${TEST_KEY}` },
    session: { cookie: session },
  };
  const requests: Array<{ label: string; options: InjectOptions }> = [];
  const ask = (label: string, options: InjectOptions): void => {
    requests.push({ label, options });
  };
  const http = t.routes.filter((route) => !upgradesToWebSocket(route));
  // The table is the app's own: the API, the probes and the dashboard's static files are in it.
  const urls = new Set(http.map((route) => route.url));
  for (const url of ['/api/v1/events', '/api/v1/stats/summary', '/api/v1/alert-rules/:id', '/readyz', '/metrics', '/*']) assert.ok(urls.has(url), url);
  assert.ok(t.routes.some((route) => upgradesToWebSocket(route) && route.url === '/api/v1/live'), 'the live socket is the route left out');
  for (const route of http) {
    const path = route.url.replace(/:id\b/g, 'x_unknown').replace(/:code\b/g, '4999').replace(/\*$/, 'assets/missing.js');
    const odd = route.url.replace(/:id\b/g, '%2E%2E%2Fetc').replace(/:code\b/g, 'not-a-code').replace(/\*$/, '..%2F..%2Fetc%2Fpasswd');
    for (const method of routeMethods(route)) {
      const as = method as InjectOptions['method'];
      if (method === 'GET') {
        ask(`GET ${route.url}, no credential`, { method: as, url: path, headers: credentials.none });
        ask(`GET ${route.url}, read token`, { method: as, url: path, headers: credentials['read token'] });
        ask(`GET ${route.url}, malformed query`, { method: as, url: `${odd}?from=x&to=y&limit=-1`, headers: credentials['read token'] });
        continue;
      }
      // Past each credential check in turn: the body parser and the body schema see the request.
      for (const [name, headers] of Object.entries(credentials)) {
        ask(`${method} ${route.url}, ${name}, invalid JSON`, { method: as, url: path, headers: { ...headers, 'content-type': 'application/json' }, payload: INVALID_JSON });
        ask(`${method} ${route.url}, ${name}, wrong body`, { method: as, url: odd, headers: { ...headers, 'content-type': 'application/json' }, payload: '{"nothing":[]}' });
      }
      ask(`${method} ${route.url}, ingest key, corrupt gzip`, {
        method: as,
        url: path,
        headers: { ...credentials['ingest key'], 'content-type': 'application/json', 'content-encoding': 'gzip' },
        payload: Buffer.from('not gzip at all'),
      });
    }
  }
  for (const url of ['/healthz', '/readyz', '/metrics', '/no/such/page', '/api/v1/no-such-route', '/assets/app.js', '/%2E%2E/%2E%2E/etc/passwd']) {
    ask(`GET ${url}, no credential`, { method: 'GET', url, headers: credentials.none });
    ask(`GET ${url}, read token`, { method: 'GET', url, headers: credentials['read token'] });
  }

  const statuses = new Map<number, number>();
  const leaks: string[] = [];
  const forbidden = needles();
  for (const { label, options } of requests) {
    const res: LightMyRequestResponse = await t.app.inject(options);
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    const text = `${JSON.stringify(res.headers)}\n${res.body}`;
    const found = forbidden.find((needle) => text.includes(needle));
    if (found !== undefined) leaks.push(`${label} (${res.statusCode}) carries "${found}": ${text.slice(Math.max(0, text.indexOf(found) - 80), text.indexOf(found) + 80)}`);
  }
  assert.deepEqual(leaks, []);

  // The requests reached every kind of answer: served, refused, invalid, unknown.
  for (const status of [200, 400, 401, 403, 404]) assert.ok((statuses.get(status) ?? 0) > 0, `no ${status} among ${JSON.stringify([...statuses])}`);
});

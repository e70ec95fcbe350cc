import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../src/storage/database-url.js';
import { startTestApp, TEST_KEY, type TestApp } from '../helpers/test-app.js';

// The recipe of docs/integrations.md for Python, run for real: a `websockets` server
// (Debian's python3-websockets; .ci/run installs it) closes real connections with
// several codes and reports them with examples/python/closewatch_reporter.py.

const run = promisify(execFile);

/** A Python with `websockets`: PYTHON, else the first python3 that imports it (pyenv's may not; Debian's does). */
function python(): string {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => c !== undefined && c !== '');
  for (const c of candidates) if (spawnSync(c, ['-c', 'import websockets'], { stdio: 'ignore' }).status === 0) return c;
  throw new Error('no python3 with the websockets package: apt-get install python3-websockets (or set PYTHON)');
}

let t: TestApp;
let url: string;
before(async () => {
  t = await startTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
after(() => t.destroy());

test('a Python websockets server reports its closes; the collector holds exactly what it closed', async () => {
  const plan = { '1000': 5, '1001': 2, '1011': 3, '4001': 2, '1006': 2 };
  const { stdout } = await run(
    python(),
    [join(REPO_ROOT, 'examples/python/example_server.py'), '--collector', url, '--key', TEST_KEY, '--plan', Object.entries(plan).map(([c, n]) => `${c}:${n}`).join(',')],
    { timeout: 60_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
  );
  const report = JSON.parse(stdout) as { closes: Record<string, number>; delivered: number; errors: string[] };
  assert.deepEqual(report.errors, []);
  assert.deepEqual(report.closes, plan, 'the server saw the closes it was asked for');
  assert.equal(report.delivered, 14);
  const stored = t.sqlite.prepare("SELECT code, count(*) AS n, sum(initiator = 'server') AS by_server, sum(was_clean) AS clean FROM close_event WHERE service = 'python-example' GROUP BY code ORDER BY code").all();
  assert.deepEqual(stored, [
    { code: 1000, n: 5, by_server: 0, clean: 5 },
    { code: 1001, n: 2, by_server: 0, clean: 2 },
    { code: 1006, n: 2, by_server: 0, clean: 0 },
    { code: 1011, n: 3, by_server: 3, clean: 3 },
    { code: 4001, n: 2, by_server: 2, clean: 2 },
  ]);
});

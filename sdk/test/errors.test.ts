import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ClosewatchError, createWarnOnceHandler, safeReport, summarizeRejected } from '../src/errors.js';
import { SDK_VERSION } from '../src/version.js';

test('ClosewatchError carries its kind and details', () => {
  const cause = new Error('ECONNREFUSED');
  const error = new ClosewatchError('delivery_retry', 'could not reach the collector', { status: 503, retryInMs: 750, cause });
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'ClosewatchError');
  assert.equal(error.message, 'closewatch: could not reach the collector');
  assert.deepEqual([error.kind, error.status, error.retryInMs, error.dropped, error.rejected], ['delivery_retry', 503, 750, undefined, undefined]);
  assert.equal(error.cause, cause);
});

test('the default handler warns once, then stays silent', (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const handler = createWarnOnceHandler();
  handler(new ClosewatchError('delivery_failed', 'collector answered 401'));
  handler(new ClosewatchError('queue_overflow', 'dropped'));
  assert.equal(warn.mock.callCount(), 1);
  assert.deepEqual(warn.mock.calls[0]?.arguments, [
    'closewatch: collector answered 401 (further closewatch errors are not logged; pass onError to see them)',
  ]);
});

test('safeReport swallows what the handler throws', () => {
  assert.doesNotThrow(() =>
    safeReport(() => {
      throw new Error('broken handler');
    }, new ClosewatchError('internal', 'x')),
  );
});

test('summarizeRejected names the first three', () => {
  const rejected = [1, 2, 3, 4].map((index) => ({ index, id: `e${index}`, field: 'code', message: 'bad' }));
  assert.equal(summarizeRejected(rejected.slice(0, 2)), '#1 code bad; #2 code bad');
  assert.equal(summarizeRejected(rejected), '#1 code bad; #2 code bad; #3 code bad; ...');
});

test('SDK_VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(SDK_VERSION, pkg.version);
});

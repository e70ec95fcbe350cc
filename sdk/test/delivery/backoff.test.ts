import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, MAX_RETRY_AFTER_MS, parseRetryAfter, retryAfterDelay } from '../../src/delivery/backoff.js';

test('backoff doubles per attempt, capped, between half and all of the nominal delay', () => {
  const low = () => 0;
  const high = () => 1;
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 30_000, low)), [500, 1000, 2000, 4000, 8000, 15_000]);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 30_000, high)), [1000, 2000, 4000, 8000, 16_000, 30_000]);
  assert.equal(backoffDelay(3, 1000, 30_000, () => 0.5), 3000);
  assert.equal(backoffDelay(1000, 1000, 30_000, high), 30_000, 'huge attempt counts do not overflow');
});

test('Retry-After: delay-seconds, HTTP date, garbage', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  assert.equal(parseRetryAfter('1', now), 1000);
  assert.equal(parseRetryAfter(' 120 ', now), 120_000);
  assert.equal(parseRetryAfter('0', now), 0);
  assert.equal(parseRetryAfter('Thu, 26 Nov 2026 10:00:05 GMT', now), 5000);
  assert.equal(parseRetryAfter('Thu, 26 Nov 2026 09:59:00 GMT', now), 0, 'a date in the past means now');
  assert.equal(parseRetryAfter('86400', now), MAX_RETRY_AFTER_MS, 'capped at 10 minutes');
  assert.equal(parseRetryAfter(null, now), undefined);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter('-1', now), undefined);
  assert.equal(parseRetryAfter('1.5', now), undefined);
});

test('a Retry-After wait is never shorter than asked, at most 10% (1 s) longer', () => {
  assert.equal(retryAfterDelay(1000, () => 0), 1000);
  assert.equal(retryAfterDelay(1000, () => 1), 1100);
  assert.equal(retryAfterDelay(60_000, () => 1), 61_000);
  assert.equal(retryAfterDelay(0, () => 1), 0);
});

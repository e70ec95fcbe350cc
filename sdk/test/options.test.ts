import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { WebSocketServer } from 'ws';
import { createClient, instrument, type ClosewatchOptions } from '../src/index.js';
import { resolveOptions } from '../src/options.js';

const valid = { apiKey: 'cw_test' };

function throwsTypeError(options: unknown, message: string): void {
  assert.throws(() => createClient(options as ClosewatchOptions), (error: unknown) => {
    assert.ok(error instanceof TypeError, `expected TypeError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

test('invalid options throw a TypeError naming the option', () => {
  throwsTypeError({ ...valid, collectorUrl: 'localhost:8080' }, 'closewatch: option "collectorUrl" must be an http(s) URL, got "localhost:8080"');
  throwsTypeError({ ...valid, collectorUrl: 'ftp://x' }, 'closewatch: option "collectorUrl" must be an http(s) URL, got "ftp://x"');
  throwsTypeError({ ...valid, collectorUrl: 'not a url' }, 'closewatch: option "collectorUrl" must be an absolute http(s) URL, got "not a url"');
  throwsTypeError({ ...valid, collectorUrl: 'http://c/?a=1' }, 'closewatch: option "collectorUrl" must be a URL without query or fragment, got "http://c/?a=1"');
  throwsTypeError({ ...valid, collectorUrl: 8080 }, 'closewatch: option "collectorUrl" must be an http(s) URL string, got 8080');
  throwsTypeError({ ...valid, service: '' }, 'closewatch: option "service" must be a non-empty string of at most 128 characters, got ""');
  throwsTypeError({ ...valid, instance: 'x'.repeat(129) }, `closewatch: option "instance" must be a non-empty string of at most 128 characters, got "${'x'.repeat(40)}..."`);
  throwsTypeError({ ...valid, sampleRate: 1.5 }, 'closewatch: option "sampleRate" must be a number from 0 to 1, got 1.5');
  throwsTypeError({ ...valid, sampleRate: Number.NaN }, 'closewatch: option "sampleRate" must be a number from 0 to 1, got NaN');
  throwsTypeError({ ...valid, batchSize: 0 }, 'closewatch: option "batchSize" must be an integer from 1 to 10000, got 0');
  throwsTypeError({ ...valid, batchSize: 10_001 }, 'closewatch: option "batchSize" must be an integer from 1 to 10000, got 10001');
  throwsTypeError({ ...valid, flushIntervalMs: 2.5 }, 'closewatch: option "flushIntervalMs" must be an integer from 1 to 3600000, got 2.5');
  throwsTypeError({ ...valid, maxQueue: '100' }, 'closewatch: option "maxQueue" must be an integer from 1 to 10000000, got "100"');
  throwsTypeError({ ...valid, retryBaseDelayMs: 5000, retryMaxDelayMs: 1000 }, 'closewatch: option "retryMaxDelayMs" must be an integer from 5000 to 3600000, got 1000');
  throwsTypeError({ ...valid, route: '/fixed' }, 'closewatch: option "route" must be a function, got "/fixed"');
  throwsTypeError({ ...valid, onError: true }, 'closewatch: option "onError" must be a function, got true');
  throwsTypeError({ ...valid, fetch: {} }, 'closewatch: option "fetch" must be a function, got an object');
  throwsTypeError({ ...valid, flushOnExit: 'yes' }, 'closewatch: option "flushOnExit" must be a boolean, got "yes"');
  throwsTypeError({ ...valid, captureRemoteAddress: 1 }, 'closewatch: option "captureRemoteAddress" must be a boolean, got 1');
  throwsTypeError({ ...valid, remoteAddressSalt: 1 }, 'closewatch: option "remoteAddressSalt" must be a string');
  throwsTypeError({ ...valid, labels: { a: 1 } }, 'closewatch: option "labels" must be a map of labels (label a must be a string of at most 256 characters, got number), got an object');
  throwsTypeError(
    { ...valid, labels: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) },
    'closewatch: option "labels" must be a map of labels (labels has 17 keys; at most 16 are allowed), got an object',
  );
  const keyRule = 'keys are 1-64 characters of A-Z a-z 0-9 _ . : -, not __proto__';
  throwsTypeError({ ...valid, labels: { ['k'.repeat(65)]: 'v' } }, `closewatch: option "labels" must be a map of labels (label key "${'k'.repeat(64)}..." is not allowed; ${keyRule}), got an object`);
  throwsTypeError({ ...valid, labels: { 'a\nb': 'v' } }, `closewatch: option "labels" must be a map of labels (label key "a\\nb" is not allowed; ${keyRule}), got an object`);
  throwsTypeError({ ...valid, labels: { 'bad key': 'v' } }, `closewatch: option "labels" must be a map of labels (label key "bad key" is not allowed; ${keyRule}), got an object`);
  throwsTypeError({ ...valid, labels: { k: 'v'.repeat(257) } }, 'closewatch: option "labels" must be a map of labels (label k must be a string of at most 256 characters, got 257 characters), got an object');
  throwsTypeError({ ...valid, sampelRate: 0.5 }, 'closewatch: unknown option "sampelRate" in options');
  throwsTypeError({ ...valid, apiKey: 'two words' }, 'closewatch: option "apiKey" must not contain whitespace');
  throwsTypeError('cw_test', 'closewatch: options must be an object, got "cw_test"');
  throwsTypeError(null, 'closewatch: options must be an object, got null');
});

test('apiKey: the option, else CLOSEWATCH_INGEST_KEY, else a TypeError', () => {
  const saved = process.env['CLOSEWATCH_INGEST_KEY'];
  try {
    delete process.env['CLOSEWATCH_INGEST_KEY'];
    throwsTypeError({}, 'closewatch: option "apiKey" is required (or set the CLOSEWATCH_INGEST_KEY environment variable)');
    throwsTypeError(undefined, 'closewatch: option "apiKey" is required (or set the CLOSEWATCH_INGEST_KEY environment variable)');
    throwsTypeError({ apiKey: 42 }, 'closewatch: option "apiKey" must be a non-empty string of at most 512 characters, got 42');
    process.env['CLOSEWATCH_INGEST_KEY'] = 'cw_from_env';
    assert.equal(resolveOptions({}).apiKey, 'cw_from_env');
    assert.equal(resolveOptions({ apiKey: 'cw_option' }).apiKey, 'cw_option');
  } finally {
    if (saved === undefined) delete process.env['CLOSEWATCH_INGEST_KEY'];
    else process.env['CLOSEWATCH_INGEST_KEY'] = saved;
  }
});

test('defaults', async () => {
  const { hostname } = await import('node:os');
  const resolved = resolveOptions(valid);
  assert.equal(resolved.endpoint, 'http://127.0.0.1:8080/api/v1/events');
  assert.equal(resolved.connection.service, 'default');
  assert.equal(resolved.connection.instance, `${hostname()}:${process.pid}`);
  assert.equal(resolved.connection.sampleRate, 1);
  assert.deepEqual(resolved.connection.labels, {});
  assert.equal(resolved.connection.remoteAddress, false);
  assert.equal(resolved.connection.remoteAddressSalt, '');
  assert.deepEqual(
    [resolved.batchSize, resolved.flushIntervalMs, resolved.maxQueue, resolved.requestTimeoutMs, resolved.retryBaseDelayMs, resolved.retryMaxDelayMs, resolved.flushOnExit],
    [1000, 5000, 10_000, 10_000, 1000, 30_000, false],
  );
  assert.equal(resolved.onError, undefined);
  assert.equal(resolveOptions({ ...valid, collectorUrl: 'https://cw.example.com/closewatch/' }).endpoint, 'https://cw.example.com/closewatch/api/v1/events');
  assert.equal(resolveOptions({ ...valid, collectorUrl: 'https://cw.example.com/closewatch' }).endpoint, 'https://cw.example.com/closewatch/api/v1/events');
});

test('instrument() and client overrides validate too', async () => {
  assert.throws(() => instrument({} as WebSocketServer, valid), {
    name: 'TypeError',
    message: 'closewatch: instrument() needs a ws WebSocketServer as first argument',
  });
  assert.throws(() => instrument(new EventEmitter() as unknown as WebSocketServer, { ...valid, batchSize: -1 }), {
    name: 'TypeError',
    message: 'closewatch: option "batchSize" must be an integer from 1 to 10000, got -1',
  });
  const client = createClient(valid);
  assert.throws(() => client.instrument(new EventEmitter() as unknown as WebSocketServer, { sampleRate: 2 }), {
    name: 'TypeError',
    message: 'closewatch: option "sampleRate" must be a number from 0 to 1, got 2',
  });
  assert.throws(() => client.instrument(new EventEmitter() as unknown as WebSocketServer, { batchSize: 5 } as never), {
    name: 'TypeError',
    message: 'closewatch: unknown option "batchSize" in connection overrides',
  });
  await client.close();
});

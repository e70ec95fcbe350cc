import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { EVENT_LIMITS, findLabelProblem, isValidLabelKey } from '../src/event-limits.js';

const KEY_RULE = 'keys are 1-64 characters of A-Z a-z 0-9 _ . : -, not __proto__';

test('label keys: 1-64 characters of A-Z a-z 0-9 _ . : -, not __proto__', () => {
  for (const key of ['region', 'k8s.pod:name', 'A-Z_0-9', 'x', 'k'.repeat(64), 'constructor', 'prototype']) {
    assert.equal(isValidLabelKey(key), true, key);
  }
  for (const key of ['', 'k'.repeat(65), 'bad key', 'a\nb', 'a\u0000b', 'région', 'a/b', 'a"b', '__proto__', 'emoji😀']) {
    assert.equal(isValidLabelKey(key), false, JSON.stringify(key));
  }
});

test('findLabelProblem names the field and says what is allowed', () => {
  assert.equal(findLabelProblem({}), undefined);
  assert.equal(findLabelProblem({ region: 'eu', 'k8s.ns': 'v'.repeat(256) }), undefined);
  const cases: Array<[unknown, { field: string; message: string }]> = [
    [[], { field: 'labels', message: 'labels must be an object of at most 16 string labels' }],
    ['eu', { field: 'labels', message: 'labels must be an object of at most 16 string labels' }],
    [null, { field: 'labels', message: 'labels must be an object of at most 16 string labels' }],
    [Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])), { field: 'labels', message: 'labels has 17 keys; at most 16 are allowed' }],
    [{ 'bad key': 'v' }, { field: 'labels.bad key', message: `label key "bad key" is not allowed; ${KEY_RULE}` }],
    [{ 'a\nb': 'v' }, { field: 'labels.a\nb', message: `label key "a\\nb" is not allowed; ${KEY_RULE}` }],
    [{ ['k'.repeat(70)]: 'v' }, { field: `labels.${'k'.repeat(64)}...`, message: `label key "${'k'.repeat(64)}..." is not allowed; ${KEY_RULE}` }],
    [JSON.parse('{"__proto__": "v"}'), { field: 'labels.__proto__', message: `label key "__proto__" is not allowed; ${KEY_RULE}` }],
    [{ region: 'v'.repeat(257) }, { field: 'labels.region', message: 'label region must be a string of at most 256 characters, got 257 characters' }],
    [{ region: 3 }, { field: 'labels.region', message: 'label region must be a string of at most 256 characters, got number' }],
    [{ region: { nested: 'x' } }, { field: 'labels.region', message: 'label region must be a string of at most 256 characters, got object' }],
    [{ region: null }, { field: 'labels.region', message: 'label region must be a string of at most 256 characters, got null' }],
    [{ region: ['x'] }, { field: 'labels.region', message: 'label region must be a string of at most 256 characters, got an array' }],
  ];
  for (const [labels, expected] of cases) assert.deepEqual(findLabelProblem(labels), expected, JSON.stringify(labels));
});

test('docs/api.md states the limits of EVENT_LIMITS', () => {
  const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const n = (value: number): string => value.toLocaleString('en-US');
  for (const phrase of [
    `| id | string 1-${EVENT_LIMITS.idLength} |`,
    `| service | string 1-${EVENT_LIMITS.serviceLength} |`,
    `| instance | string 1-${EVENT_LIMITS.instanceLength} |`,
    `| route | string 1-${EVENT_LIMITS.routeLength} |`,
    `from ${new Date(EVENT_LIMITS.minTs).toISOString().replace('.000', '')} to ${EVENT_LIMITS.maxTsAheadMs / 3_600_000} h ahead of the collector's clock`,
    `wire limit ${EVENT_LIMITS.wireReasonBytes} UTF-8 bytes; up to ${EVENT_LIMITS.maxReasonBytes} bytes accepted`,
    `integer 0-${n(EVENT_LIMITS.maxDurationMs)} or null`,
    `integers 0-${n(EVENT_LIMITS.maxMessages)} (1e12) or null`,
    `integers 0-${n(EVENT_LIMITS.maxBytes)} (1e15) or null`,
    `at most ${EVENT_LIMITS.maxLabels} labels; keys of 1-${EVENT_LIMITS.labelKeyLength} characters of \`A-Z a-z 0-9 _ . : -\` (not \`__proto__\`); values strings of at most ${EVENT_LIMITS.labelValueLength} characters`,
    `an integer from 0 to ${n(EVENT_LIMITS.maxDropped)}`,
    `\`meta.sdk\`: at most ${EVENT_LIMITS.sdkNameLength} characters`,
    `string <= ${EVENT_LIMITS.remoteAddrHashLength}`,
  ]) {
    assert.ok(doc.includes(phrase), `docs/api.md does not say "${phrase}"`);
  }
  assert.equal(EVENT_LIMITS.maxDurationMs, 400 * 24 * 3600 * 1000);
});

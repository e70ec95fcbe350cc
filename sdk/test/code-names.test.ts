import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient, type ClosewatchError } from '../src/index.js';
import { FakeCollector, type ReceivedRequest } from './helpers/fake-collector.js';
import { waitFor } from './helpers/wait-for.js';

const KEY = 'cw_test_key_codes_0123456789';
let collector: FakeCollector;

before(async () => {
  collector = await FakeCollector.start();
});
after(() => collector.close());

const registrations = (): ReceivedRequest[] => collector.requests.filter((r) => r.url === '/api/v1/codes');

test('the codes option is validated at construction, naming the bad entry', () => {
  const make = (codes: unknown) => () => createClient({ apiKey: KEY, collectorUrl: collector.url, codes: codes as never });
  const cases: Array<[unknown, string]> = [
    ['4001', 'closewatch: option "codes" must be an object of codes to descriptions, such as { 4001: { name: \'Room closed\' } }'],
    [{ 1011: { name: 'Oops' } }, 'closewatch: option "codes" entry 1011: only codes 3000-4999 can be named (1000-2999 belong to the WebSocket protocol)'],
    [{ 5000: { name: 'Oops' } }, 'closewatch: option "codes" entry 5000: only codes 3000-4999 can be named (1000-2999 belong to the WebSocket protocol)'],
    [{ abc: { name: 'Oops' } }, 'closewatch: option "codes" entry abc: only codes 3000-4999 can be named (1000-2999 belong to the WebSocket protocol)'],
    [{ 4001: 'Room closed' }, 'closewatch: option "codes" entry 4001: must be an object such as { name: \'Room closed\' }'],
    [{ 4001: {} }, 'closewatch: option "codes" entry 4001: "name" must be a string of 1-64 characters'],
    [{ 4001: { name: ' ' } }, 'closewatch: option "codes" entry 4001: "name" must be a string of 1-64 characters'],
    [{ 4001: { name: 'x'.repeat(65) } }, 'closewatch: option "codes" entry 4001: "name" must be a string of 1-64 characters'],
    [{ 4001: { name: 'Room closed', meaning: 'a\nb' } }, 'closewatch: option "codes" entry 4001: "meaning" must be one line of at most 200 characters'],
    [
      { 4001: { name: 'Room closed', category: 'fatal' } },
      'closewatch: option "codes" entry 4001: "category" must be one of normal, going-away, abnormal, client-error, server-error, overload, tls, application, reserved, invalid',
    ],
    [{ 4001: { name: 'Room closed', retry: 'no' } }, 'closewatch: option "codes" entry 4001: "retry" must be a boolean'],
    [{ 4001: { name: 'Room closed', alertWorthy: 1 } }, 'closewatch: option "codes" entry 4001: "alertWorthy" must be a boolean'],
    [{ 4001: { name: 'Room closed', colour: 'red' } }, 'closewatch: option "codes" entry 4001: unknown field "colour" (known: name, meaning, category, retry, alertWorthy)'],
  ];
  for (const [codes, message] of cases) assert.throws(make(codes), { name: 'TypeError', message }, JSON.stringify(codes));
  assert.equal(registrations().length, 0, 'nothing is sent for an invalid option');
});

test('no codes, no registration', async () => {
  const client = createClient({ apiKey: KEY, collectorUrl: collector.url });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await client.close();
  assert.equal(registrations().length, 0);
});

test('registers at start with the ingest key, defaults applied, and retries a 503 like event delivery', async () => {
  collector.requests.length = 0;
  collector.responder = (request, index) =>
    index === 0 ? { status: 503, headers: { 'retry-after': '0' }, body: { error: { code: 'WRITER_BUSY', message: 'busy' } } } : { status: 200, body: { results: [] } };
  const errors: ClosewatchError[] = [];
  const client = createClient({
    apiKey: KEY,
    collectorUrl: collector.url,
    retryBaseDelayMs: 1,
    onError: (e) => errors.push(e),
    codes: { 4001: { name: ' Room closed ', retry: false }, 3008: { name: 'Idle kick', meaning: 'No ping for 60 s.', category: 'client-error', retry: true, alertWorthy: true } },
  });
  await waitFor('two registration attempts', () => registrations().length === 2);
  const [first, second] = registrations();
  assert.equal(first?.headers.authorization, `Bearer ${KEY}`);
  assert.deepEqual(second?.body, {
    codes: [
      { code: 3008, name: 'Idle kick', meaning: 'No ping for 60 s.', category: 'client-error', retry: true, alertWorthy: true },
      { code: 4001, name: 'Room closed', meaning: '', category: 'application', retry: false, alertWorthy: false },
    ],
  });
  assert.deepEqual(errors.map((e) => [e.kind, e.status, e.message]), [
    ['codes_retry', 503, 'closewatch: registering code names: collector answered 503 (WRITER_BUSY: busy); retrying in 0 ms'],
  ]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(registrations().length, 2, 'nothing more after the 200');
  await client.close();
});

test('a refusal is reported through onError once and not retried', async () => {
  collector.requests.length = 0;
  collector.responder = () => ({ status: 403, body: { error: { code: 'SERVER_KEY_REQUIRED', message: 'code names are registered with a server ingest key' } } });
  const errors: ClosewatchError[] = [];
  const client = createClient({ apiKey: KEY, collectorUrl: collector.url, retryBaseDelayMs: 1, onError: (e) => errors.push(e), codes: { 4001: { name: 'Room closed' } } });
  await waitFor('the refusal', () => errors.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(registrations().length, 1);
  assert.deepEqual(errors.map((e) => [e.kind, e.status, e.message]), [
    [
      'codes_failed',
      403,
      "closewatch: registering code names: collector answered 403 (SERVER_KEY_REQUIRED: code names are registered with a server ingest key); the codes keep their range's name until this is fixed",
    ],
  ]);
  await client.close();
});

test('an onError that throws never reaches the host', async () => {
  collector.requests.length = 0;
  collector.responder = () => ({ status: 400, body: { error: { code: 'X', message: 'no' } } });
  let calls = 0;
  const client = createClient({
    apiKey: KEY,
    collectorUrl: collector.url,
    onError: () => {
      calls += 1;
      throw new Error('host handler bug');
    },
    codes: { 4001: { name: 'Room closed' } },
  });
  await waitFor('the report', () => calls === 1);
  await client.close();
});

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Delivery, type DeliveryOptions } from '../../src/delivery/delivery.js';
import type { ClosewatchError } from '../../src/errors.js';
import { accept, fakeEvent, FakeCollector } from '../helpers/fake-collector.js';

const collectors: FakeCollector[] = [];
after(async () => {
  for (const collector of collectors) await collector.stop();
});

async function collector(...args: Parameters<typeof FakeCollector.start>): Promise<FakeCollector> {
  const started = await FakeCollector.start(...args);
  collectors.push(started);
  return started;
}

function delivery(url: string, errors: ClosewatchError[], options: Partial<DeliveryOptions> = {}): Delivery {
  return new Delivery({
    endpoint: `${url}/api/v1/events`,
    apiKey: 'cw_test_key',
    sdk: 'closewatch-test/1',
    batchSize: 100,
    flushIntervalMs: 60_000,
    maxQueue: 1000,
    maxBatchBytes: 1024 * 1024,
    retryBaseDelayMs: 10,
    retryMaxDelayMs: 40,
    requestTimeoutMs: 2000,
    keepalive: false,
    fetch: (input, init) => fetch(input, init),
    onError: (error) => errors.push(error),
    ...options,
  });
}

const ids = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

test('sends a batch as the contract says: endpoint, bearer key, content type, meta', async () => {
  const sink = await collector();
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors);
  d.enqueue(fakeEvent('a'));
  d.enqueue(fakeEvent('b', { code: null, labels: { region: 'eu' } }));
  await d.flush();
  assert.equal(sink.requests.length, 1);
  const [request] = sink.requests;
  assert.equal(request?.url, '/api/v1/events');
  assert.equal(request?.headers['authorization'], 'Bearer cw_test_key');
  assert.equal(request?.headers['content-type'], 'application/json');
  assert.deepEqual(request?.body.meta, { sdk: 'closewatch-test/1', dropped: 0 });
  assert.deepEqual(request?.body.events, [fakeEvent('a'), fakeEvent('b', { code: null, labels: { region: 'eu' } })]);
  assert.deepEqual(errors, []);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 2, failed: 0, dropped: 0, requests: 1 });
});

test('a full batch goes at once, a partial one after flushIntervalMs', async () => {
  const sink = await collector();
  const d = delivery(sink.url, [], { batchSize: 3, flushIntervalMs: 300 });
  const start = performance.now();
  for (const id of ids('full', 3)) d.enqueue(fakeEvent(id));
  await sink.waitForEvents(3);
  assert.ok(performance.now() - start < 250, 'a full batch must not wait for the interval');
  const partialAt = performance.now();
  d.enqueue(fakeEvent('partial'));
  await sink.waitForEvents(4);
  const waited = (sink.requests[1]?.at ?? 0) - partialAt;
  assert.ok(waited >= 299, `partial batch sent after ${waited.toFixed(0)} ms, before the interval`);
  assert.deepEqual(sink.requests.map((r) => r.body.events.length), [3, 1]);
});

test('collector refusing, then 503, then back: every event arrives exactly once, same ids on retry', async () => {
  let unavailable = 2;
  const sink = await collector((request, index) => (index < unavailable ? { status: 503, body: { error: { code: 'DOWN', message: 'maintenance' } } } : accept(request, index)));
  await sink.stop();
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { batchSize: 5, flushIntervalMs: 5 });
  const sent = ids('down', 23);
  for (const id of sent) d.enqueue(fakeEvent(id));
  // Let it fail against the closed port a few times before the collector returns.
  while (errors.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
  await sink.restart();
  await sink.waitForEvents(23);
  await d.flush();
  const received = sink.events.map((e) => e.id);
  assert.equal(received.length, 23);
  assert.deepEqual([...received].sort(), [...sent].sort());
  assert.deepEqual(received, sent, 'order is kept');
  // The two 503s carried the same first batch that then succeeded.
  assert.deepEqual(sink.requests[0]?.body.events.map((e) => e.id), sent.slice(0, 5));
  assert.deepEqual(sink.requests[1]?.body.events.map((e) => e.id), sent.slice(0, 5));
  assert.equal(sink.requests[2]?.status, 200);
  assert.deepEqual(sink.requests[2]?.body.events.map((e) => e.id), sent.slice(0, 5));
  assert.ok(errors.every((e) => e.kind === 'delivery_retry'));
  assert.ok(errors.some((e) => /could not reach the collector/.test(e.message)));
  assert.ok(errors.some((e) => e.status === 503 && /DOWN: maintenance/.test(e.message)));
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 23, failed: 0, dropped: 0, requests: errors.length + 5 });
  unavailable = 0;
});

test('429 with Retry-After: 1 is honoured', async () => {
  const sink = await collector((request, index) =>
    index === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'RATE', message: 'slow down' } } } : accept(request, index),
  );
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { retryBaseDelayMs: 1, retryMaxDelayMs: 5 });
  d.enqueue(fakeEvent('rate-1'));
  void d.flush();
  await sink.waitForEvents(1, 3000);
  const [first, second] = sink.requests;
  assert.ok(first !== undefined && second !== undefined);
  const waited = second.at - first.at;
  assert.ok(waited >= 1000, `retried after ${waited.toFixed(0)} ms, before the 1 s asked`);
  assert.ok(waited < 1500, `retried after ${waited.toFixed(0)} ms`);
  assert.deepEqual(second.body.events.map((e) => e.id), ['rate-1']);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.kind, 'delivery_retry');
  assert.equal(errors[0]?.status, 429);
  assert.ok((errors[0]?.retryInMs ?? 0) >= 1000);
});

test('queue overflow drops the oldest, reports the exact count, sends it as meta.dropped once', async () => {
  const sink = await collector();
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { maxQueue: 10 });
  const sent = ids('q', 15);
  for (const id of sent) d.enqueue(fakeEvent(id));
  assert.equal(d.stats().queued, 10);
  await d.flush();
  assert.deepEqual(sink.events.map((e) => e.id), sent.slice(5));
  assert.equal(sink.requests[0]?.body.meta.dropped, 5);
  assert.deepEqual(errors.map((e) => [e.kind, e.dropped]), [['queue_overflow', 5]]);
  // Reset after the successful batch.
  d.enqueue(fakeEvent('q-after'));
  await d.flush();
  assert.equal(sink.requests[1]?.body.meta.dropped, 0);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 11, failed: 0, dropped: 5, requests: 2 });
});

test('drops during an outage reach the collector with the batch that finally succeeds', async () => {
  const sink = await collector((request, index) => (index < 1 ? { status: 503 } : accept(request, index)));
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { maxQueue: 2, batchSize: 2, retryBaseDelayMs: 100, retryMaxDelayMs: 100 });
  d.enqueue(fakeEvent('o-0'));
  d.enqueue(fakeEvent('o-1')); // full batch: sent, answered 503, retried after 50-100 ms
  await sink.waitForRequests(1);
  for (const id of ids('o-late', 5)) d.enqueue(fakeEvent(id)); // queue of 2: 3 dropped
  await d.flush();
  await d.flush();
  assert.deepEqual(sink.events.map((e) => e.id), ['o-0', 'o-1', 'o-late-3', 'o-late-4']);
  assert.deepEqual(sink.requests.map((r) => [r.status, r.body.meta.dropped]), [[503, 0], [200, 3], [200, 0]]);
  assert.deepEqual(errors.filter((e) => e.kind === 'queue_overflow').map((e) => e.dropped), [3]);
});

test('4xx other than 429 is not retried and reports the collector message', async () => {
  const sink = await collector((request, index) =>
    index === 0 ? { status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'unknown ingest key' } } } : accept(request, index),
  );
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { maxQueue: 1 });
  d.enqueue(fakeEvent('k-1'));
  await d.flush();
  assert.equal(sink.requests.length, 1);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.kind, 'delivery_failed');
  assert.equal(errors[0]?.status, 401);
  assert.equal(errors[0]?.dropped, 1);
  assert.match(errors[0]?.message ?? '', /401 \(UNAUTHORIZED: unknown ingest key\)/);
  // Later events still go out.
  d.enqueue(fakeEvent('k-2'));
  await d.flush();
  assert.deepEqual(sink.events.map((e) => e.id), ['k-2']);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 1, dropped: 0, requests: 2 });
});

test('rejected events are reported with their ids, on 200 and on 400', async () => {
  const sink = await collector((request, index) =>
    index === 0
      ? { status: 200, body: { accepted: 1, duplicates: 0, rejected: [{ index: 1, field: 'code', message: 'must be an integer from 0 to 65535 or null' }] } }
      : { status: 400, body: { accepted: 0, duplicates: 0, rejected: [{ index: 0, field: 'route', message: 'must not be empty' }] } },
  );
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors);
  d.enqueue(fakeEvent('r-ok'));
  d.enqueue(fakeEvent('r-bad'));
  await d.flush();
  d.enqueue(fakeEvent('r-400'));
  await d.flush();
  assert.equal(sink.requests.length, 2, 'a 400 is not retried');
  assert.deepEqual(errors.map((e) => [e.kind, e.status, e.rejected]), [
    ['events_rejected', 200, [{ index: 1, id: 'r-bad', field: 'code', message: 'must be an integer from 0 to 65535 or null' }]],
    ['events_rejected', 400, [{ index: 0, id: 'r-400', field: 'route', message: 'must not be empty' }]],
  ]);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 2, dropped: 0, requests: 2 });
});

test('413 halves the batch and resends every event', async () => {
  const sink = await collector((request, index) =>
    request.body.events.length > 2 ? { status: 413, body: { error: { code: 'TOO_LARGE', message: 'too big' } } } : accept(request, index),
  );
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors);
  const sent = ids('big', 5);
  for (const id of sent) d.enqueue(fakeEvent(id));
  await d.flush();
  assert.deepEqual(sink.events.map((e) => e.id), sent);
  assert.deepEqual(sink.requests.map((r) => r.body.events.length), [5, 2, 2, 1]);
  assert.deepEqual(errors, []);
});

test('a request that gets no answer times out and is retried', async () => {
  const sink = await collector((request, index) => (index === 0 ? 'hang' : accept(request, index)));
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { requestTimeoutMs: 100 });
  d.enqueue(fakeEvent('t-1'));
  await d.flush();
  assert.deepEqual(sink.events.map((e) => e.id), ['t-1']);
  assert.equal(errors[0]?.kind, 'delivery_retry');
  assert.match(errors[0]?.message ?? '', /no answer from the collector within 100 ms/);
});

test('flush resolves after its timeout while the collector is down; close reports what is left', async () => {
  const sink = await collector();
  await sink.stop();
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { retryBaseDelayMs: 20, retryMaxDelayMs: 20 });
  for (const id of ids('left', 3)) d.enqueue(fakeEvent(id));
  const start = performance.now();
  await d.flush(100);
  const took = performance.now() - start;
  assert.ok(took >= 99 && took < 400, `flush took ${took.toFixed(0)} ms`);
  await d.close(50);
  const last = errors.at(-1);
  assert.equal(last?.kind, 'undelivered');
  assert.equal(last?.dropped, 3);
  d.enqueue(fakeEvent('after-close'));
  assert.deepEqual(d.stats().queued, 0);
  await d.flush(); // resolves at once after close
});

test('sendAllNow sends every batch at once within the byte budget', async () => {
  const sink = await collector();
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { batchSize: 1000, maxBatchBytes: 2000 });
  const labels = { blob: 'x'.repeat(200) };
  const sent = ids('u', 30);
  for (const id of sent) d.enqueue(fakeEvent(id, { labels }));
  d.sendAllNow(5000);
  const inFlight = d.stats().inFlight;
  await sink.waitForEvents(inFlight);
  assert.ok(sink.requests.every((r) => r.rawBytes <= 2000), 'each body under maxBatchBytes');
  const total = sink.requests.reduce((sum, r) => sum + r.rawBytes, 0);
  assert.ok(total <= 5000, `sent ${total} bytes, over the 5000 budget`);
  assert.ok(sink.requests.length >= 2, 'several batches in parallel');
  assert.deepEqual(sink.events.map((e) => e.id), sent.slice(0, inFlight));
  assert.equal(d.stats().queued, 30 - inFlight);
  await d.flush();
  assert.deepEqual(sink.events.map((e) => e.id).sort(), [...sent].sort());
});

test('an onError that throws does not break delivery', async () => {
  const sink = await collector((request, index) => (index === 0 ? { status: 500 } : accept(request, index)));
  const d = delivery(sink.url, [], {
    onError: () => {
      throw new Error('bad handler');
    },
  });
  d.enqueue(fakeEvent('h-1'));
  await d.flush();
  assert.deepEqual(sink.events.map((e) => e.id), ['h-1']);
});

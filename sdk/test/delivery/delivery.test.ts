import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Delivery, type DeliveryOptions } from '../../src/delivery/delivery.js';
import type { ClosewatchError } from '../../src/errors.js';
import { accept, fakeEvent, FakeCollector } from '../helpers/fake-collector.js';
import { waitFor } from '../helpers/wait-for.js';

const collectors: FakeCollector[] = [];
after(async () => {
  for (const collector of collectors) await collector.close();
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
    // Far above any loopback answer on a loaded machine: only the test of timeouts
    // may see one.
    requestTimeoutMs: 10_000,
    keepalive: false,
    fetch: (input, init) => fetch(input, init),
    onError: (error) => errors.push(error),
    // No jitter: every retry delay is the lower end of its range, so the delays in
    // the reports are exact (10 ms base: 5, 10, 20, 20... ms).
    random: () => 0,
    ...options,
  });
}

const ids = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

/** The fields of a report that are set, for exact comparison. */
function seen(error: ClosewatchError): Record<string, unknown> {
  const { kind, message, status, retryInMs, dropped, rejected } = error;
  return Object.fromEntries(Object.entries({ kind, message, status, retryInMs, dropped, rejected }).filter(([, value]) => value !== undefined));
}

/** What Node's fetch reports, through the SDK, for a connection the collector resets. */
const unreachable = (sink: FakeCollector): string =>
  `closewatch: could not reach the collector (fetch failed: connect ECONNRESET ${sink.url.slice('http://'.length)})`;

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

test('a full batch goes at once, without waiting for flushIntervalMs', async () => {
  const sink = await collector();
  const errors: ClosewatchError[] = [];
  // An interval of a minute: the batch can only arrive within waitForEvents' 5 s
  // deadline if being full is enough to send it.
  const d = delivery(sink.url, errors, { batchSize: 3, flushIntervalMs: 60_000 });
  for (const id of ids('full', 3)) d.enqueue(fakeEvent(id));
  await sink.waitForEvents(3);
  await d.flush();
  assert.deepEqual(sink.requests.map((r) => r.body.events.map((e) => e.id)), [['full-0', 'full-1', 'full-2']]);
  assert.deepEqual(errors, []);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 3, failed: 0, dropped: 0, requests: 1 });
});

test('a partial batch waits for flushIntervalMs', async () => {
  const sink = await collector();
  const d = delivery(sink.url, [], { batchSize: 3, flushIntervalMs: 300 });
  const enqueuedAt = performance.now();
  d.enqueue(fakeEvent('partial'));
  await sink.waitForEvents(1);
  const waited = (sink.requests[0]?.at ?? 0) - enqueuedAt;
  // 1 ms of tolerance: timers count whole milliseconds.
  assert.ok(waited >= 299, `partial batch sent after ${waited.toFixed(1)} ms, before the 300 ms interval`);
  assert.deepEqual(sink.requests.map((r) => r.body.events.map((e) => e.id)), [['partial']]);
});

test('collector unreachable, then 503 twice, then back: every event arrives exactly once, in order, same ids on retry', async () => {
  const sink = await collector((request, index) =>
    index < 2 ? { status: 503, body: { error: { code: 'DOWN', message: 'maintenance' } } } : accept(request, index),
  );
  sink.goOffline();
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, {
    batchSize: 5,
    flushIntervalMs: 5,
    onError: (error) => {
      errors.push(error);
      // Back online while the third failure is being reported, before its retry is
      // due: exactly three attempts meet the outage, however slow the machine.
      if (errors.length === 3) sink.goOnline();
    },
  });
  const sent = ids('down', 23);
  for (const id of sent) d.enqueue(fakeEvent(id));
  await sink.waitForEvents(23);
  await d.flush();
  assert.deepEqual(sink.events.map((e) => e.id), sent, 'each event once, in order');
  assert.equal(sink.resets, 3);
  // The first batch, with the same ids every time: reset three times (never
  // recorded), answered 503 twice, then accepted.
  assert.deepEqual(
    sink.requests.map((r) => [r.status, r.body.events.map((e) => e.id)]),
    [
      [503, sent.slice(0, 5)],
      [503, sent.slice(0, 5)],
      [200, sent.slice(0, 5)],
      [200, sent.slice(5, 10)],
      [200, sent.slice(10, 15)],
      [200, sent.slice(15, 20)],
      [200, sent.slice(20, 23)],
    ],
  );
  assert.deepEqual(errors.map(seen), [
    { kind: 'delivery_retry', message: `${unreachable(sink)}; retrying 5 events in 5 ms`, retryInMs: 5 },
    { kind: 'delivery_retry', message: `${unreachable(sink)}; retrying 5 events in 10 ms`, retryInMs: 10 },
    { kind: 'delivery_retry', message: `${unreachable(sink)}; retrying 5 events in 20 ms`, retryInMs: 20 },
    { kind: 'delivery_retry', message: 'closewatch: collector answered 503 (DOWN: maintenance); retrying 5 events in 20 ms', status: 503, retryInMs: 20 },
    { kind: 'delivery_retry', message: 'closewatch: collector answered 503 (DOWN: maintenance); retrying 5 events in 20 ms', status: 503, retryInMs: 20 },
  ]);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 23, failed: 0, dropped: 0, requests: 10 });
});

test('429 with Retry-After: 1 is honoured, even by flush()', async () => {
  const sink = await collector((request, index) =>
    index === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'RATE', message: 'slow down' } } } : accept(request, index),
  );
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { retryBaseDelayMs: 1, retryMaxDelayMs: 5 });
  d.enqueue(fakeEvent('rate-1'));
  void d.flush();
  await waitFor('the 429 to be reported', () => errors.length === 1);
  // flush() cuts a backoff short; this one must still wait for the retry the collector asked for.
  await d.flush();
  const [first, second] = sink.requests;
  assert.ok(first !== undefined && second !== undefined);
  const waited = second.at - first.at;
  // 1 ms of tolerance: timers count whole milliseconds.
  assert.ok(waited >= 999, `retried after ${waited.toFixed(1)} ms, before the 1 s asked`);
  assert.deepEqual(sink.requests.map((r) => [r.status, r.body.events.map((e) => e.id)]), [
    [429, ['rate-1']],
    [200, ['rate-1']],
  ]);
  assert.deepEqual(errors.map(seen), [
    { kind: 'delivery_retry', message: 'closewatch: collector answered 429 (RATE: slow down); retrying 1 events in 1000 ms', status: 429, retryInMs: 1000 },
  ]);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0, requests: 2 });
});

test('408 Request Timeout is retried with the same ids; each event is delivered once', async () => {
  const sink = await collector((request, index) => (index === 0 ? { status: 408 } : accept(request, index)));
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors);
  d.enqueue(fakeEvent('slow-1'));
  d.enqueue(fakeEvent('slow-2'));
  await d.flush();
  assert.deepEqual(sink.requests.map((r) => [r.status, r.body.events.map((e) => e.id)]), [
    [408, ['slow-1', 'slow-2']],
    [200, ['slow-1', 'slow-2']],
  ]);
  assert.deepEqual(sink.events.map((e) => e.id), ['slow-1', 'slow-2']);
  assert.deepEqual(errors.map(seen), [
    { kind: 'delivery_retry', message: 'closewatch: collector answered 408; retrying 2 events in 5 ms', status: 408, retryInMs: 5 },
  ]);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 2, failed: 0, dropped: 0, requests: 2 });
});

test('queue overflow drops the oldest, reports the exact count, sends it as meta.dropped once', async () => {
  const sink = await collector();
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { maxQueue: 10 });
  const sent = ids('q', 15);
  for (const id of sent) d.enqueue(fakeEvent(id));
  assert.deepEqual(d.stats(), { queued: 10, inFlight: 0, delivered: 0, failed: 0, dropped: 5, requests: 0 });
  await d.flush();
  assert.deepEqual(sink.events.map((e) => e.id), sent.slice(5));
  assert.equal(sink.requests[0]?.body.meta.dropped, 5);
  assert.deepEqual(errors.map(seen), [{ kind: 'queue_overflow', message: 'closewatch: queue full (maxQueue 10): dropped the 5 oldest events', dropped: 5 }]);
  // Reset after the successful batch.
  d.enqueue(fakeEvent('q-after'));
  await d.flush();
  assert.deepEqual(sink.requests.map((r) => r.body.meta.dropped), [5, 0]);
  assert.equal(errors.length, 1);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 11, failed: 0, dropped: 5, requests: 2 });
});

test('drops during an outage reach the collector with the next batch, never with a retry (which must repeat its first attempt)', async () => {
  const sink = await collector((request, index) => (index < 1 ? { status: 503 } : accept(request, index)));
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { maxQueue: 2, batchSize: 2, retryBaseDelayMs: 100, retryMaxDelayMs: 100 });
  d.enqueue(fakeEvent('o-0'));
  d.enqueue(fakeEvent('o-1')); // full batch: sent, answered 503, retried after 50 ms
  // The request has arrived; its answer cannot have been read yet (that takes another
  // turn of the event loop), so the batch is still in flight while the queue overflows.
  await sink.waitForRequests(1);
  for (const id of ids('o-late', 5)) d.enqueue(fakeEvent(id)); // queue of 2: 3 dropped
  await d.flush();
  assert.deepEqual(sink.events.map((e) => e.id), ['o-0', 'o-1', 'o-late-3', 'o-late-4']);
  assert.deepEqual(sink.requests.map((r) => [r.status, r.body.meta.dropped]), [[503, 0], [200, 0], [200, 3]]);
  assert.deepEqual(errors.map(seen), [
    { kind: 'delivery_retry', message: 'closewatch: collector answered 503; retrying 2 events in 50 ms', status: 503, retryInMs: 50 },
    { kind: 'queue_overflow', message: 'closewatch: queue full (maxQueue 2): dropped the 3 oldest events', dropped: 3 },
  ]);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 4, failed: 0, dropped: 3, requests: 3 });
});

test('4xx other than 408 and 429 is not retried and reports the collector message', async () => {
  const sink = await collector((request, index) =>
    index === 0 ? { status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'unknown ingest key' } } } : accept(request, index),
  );
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { maxQueue: 1 });
  d.enqueue(fakeEvent('k-1'));
  await d.flush();
  assert.equal(sink.requests.length, 1);
  assert.deepEqual(errors.map(seen), [
    { kind: 'delivery_failed', message: 'closewatch: collector answered 401 (UNAUTHORIZED: unknown ingest key); dropped 1 events', status: 401, dropped: 1 },
  ]);
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
  assert.deepEqual(errors.map(seen), [
    {
      kind: 'events_rejected',
      message: 'closewatch: collector rejected 1 of 2 events: #1 code must be an integer from 0 to 65535 or null',
      status: 200,
      rejected: [{ index: 1, id: 'r-bad', field: 'code', message: 'must be an integer from 0 to 65535 or null' }],
    },
    {
      kind: 'events_rejected',
      // A 400 without an `error` object: the message quotes the start of the body.
      message:
        'closewatch: collector answered 400 ({"accepted":0,"duplicates":0,"rejected":[{"index":0,"field":"route","message":"must not be empty"}]}); ' +
        'dropped 1 events: #0 route must not be empty',
      status: 400,
      dropped: 1,
      rejected: [{ index: 0, id: 'r-400', field: 'route', message: 'must not be empty' }],
    },
  ]);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 2, dropped: 0, requests: 2 });
});

const tooLarge = { status: 413, body: { error: { code: 'BODY_TOO_LARGE', message: 'request body is larger than 5 MiB (after decompression); send smaller batches' } } };

test('413 halves the batch and resends every event', async () => {
  const sink = await collector((request, index) => (request.body.events.length > 2 ? tooLarge : accept(request, index)));
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors);
  const sent = ids('big', 5);
  for (const id of sent) d.enqueue(fakeEvent(id));
  await d.flush();
  assert.deepEqual(sink.events.map((e) => e.id), sent);
  assert.deepEqual(sink.requests.map((r) => [r.status, r.body.events.length]), [[413, 5], [200, 2], [200, 2], [200, 1]]);
  assert.deepEqual(errors, []);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 5, failed: 0, dropped: 0, requests: 4 });
});

test('413 on a batch of one event: that event is dropped and reported, later events still go out', async () => {
  const sink = await collector((request, index) => (request.body.events.some((e) => e.id === 'huge') ? tooLarge : accept(request, index)));
  const errors: ClosewatchError[] = [];
  // A queue of one, so the refused batch also carries a drop in its meta.
  const d = delivery(sink.url, errors, { maxQueue: 1 });
  d.enqueue(fakeEvent('lost'));
  d.enqueue(fakeEvent('huge'));
  await d.flush();
  d.enqueue(fakeEvent('after-1'));
  await d.flush();
  d.enqueue(fakeEvent('after-2'));
  await d.flush();
  // The collector never recorded the refused batch's meta.dropped: the next batch carries it.
  assert.deepEqual(sink.requests.map((r) => [r.status, r.body.events.map((e) => e.id), r.body.meta.dropped]), [
    [413, ['huge'], 1],
    [200, ['after-1'], 1],
    [200, ['after-2'], 0],
  ]);
  assert.deepEqual(sink.events.map((e) => e.id), ['after-1', 'after-2']);
  assert.deepEqual(errors.map(seen), [
    { kind: 'queue_overflow', message: 'closewatch: queue full (maxQueue 1): dropped the 1 oldest events', dropped: 1 },
    {
      kind: 'delivery_failed',
      message: 'closewatch: collector answered 413 (BODY_TOO_LARGE: request body is larger than 5 MiB (after decompression); send smaller batches); dropped 1 event too large to send',
      status: 413,
      dropped: 1,
    },
  ]);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 2, failed: 1, dropped: 1, requests: 3 });
});

test('413 halving down to one event: only the event that is too large on its own is dropped', async () => {
  const sink = await collector((request, index) =>
    request.body.events.length > 2 || request.body.events.some((e) => e.id === 'huge') ? tooLarge : accept(request, index),
  );
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors);
  for (const id of ['a', 'huge', 'b', 'c']) d.enqueue(fakeEvent(id));
  await d.flush();
  assert.deepEqual(sink.requests.map((r) => [r.status, r.body.events.map((e) => e.id)]), [
    [413, ['a', 'huge', 'b', 'c']],
    [413, ['a', 'huge']],
    [200, ['a']],
    [413, ['huge']],
    [200, ['b']],
    [200, ['c']],
  ]);
  assert.deepEqual(errors.map(seen), [
    {
      kind: 'delivery_failed',
      message: 'closewatch: collector answered 413 (BODY_TOO_LARGE: request body is larger than 5 MiB (after decompression); send smaller batches); dropped 1 event too large to send',
      status: 413,
      dropped: 1,
    },
  ]);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 3, failed: 1, dropped: 0, requests: 6 });
});

test('a request that gets no answer times out and is retried', async () => {
  const sink = await collector((request, index) => (index === 0 ? 'hang' : accept(request, index)));
  const errors: ClosewatchError[] = [];
  // Long enough that the answered retry never times out on a loaded machine.
  const d = delivery(sink.url, errors, { requestTimeoutMs: 1000 });
  d.enqueue(fakeEvent('t-1'));
  await d.flush();
  assert.deepEqual(sink.requests.map((r) => [r.status, r.body.events.map((e) => e.id)]), [
    [0, ['t-1']],
    [200, ['t-1']],
  ]);
  assert.deepEqual(errors.map(seen), [
    { kind: 'delivery_retry', message: 'closewatch: no answer from the collector within 1000 ms; retrying 1 events in 5 ms', retryInMs: 5 },
  ]);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0, requests: 2 });
});

test('flush() gives up after its timeout while the collector is unreachable; the events stay in flight', async () => {
  const sink = await collector();
  sink.goOffline();
  const errors: ClosewatchError[] = [];
  // The retry is 30 s away: only the first attempt can happen during the test.
  const d = delivery(sink.url, errors, { retryBaseDelayMs: 60_000, retryMaxDelayMs: 60_000 });
  for (const id of ids('left', 3)) d.enqueue(fakeEvent(id));
  const start = performance.now();
  await d.flush(100);
  const took = performance.now() - start;
  // 1 ms of tolerance: timers count whole milliseconds.
  assert.ok(took >= 99, `flush resolved after ${took.toFixed(1)} ms, before its 100 ms timeout`);
  await waitFor('the failed attempt to be reported', () => errors.length === 1);
  assert.deepEqual(errors.map(seen), [
    { kind: 'delivery_retry', message: `${unreachable(sink)}; retrying 3 events in 30000 ms`, retryInMs: 30_000 },
  ]);
  assert.equal(sink.resets, 1);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 3, delivered: 0, failed: 0, dropped: 0, requests: 1 });
});

test('close() gives up after its timeout, reports what is left as undelivered, then discards new events', async () => {
  // An answer that never comes: the batch is still in flight when close() gives up.
  const sink = await collector(() => 'hang');
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors);
  for (const id of ids('left', 3)) d.enqueue(fakeEvent(id));
  await d.close(50);
  assert.deepEqual(errors.map(seen), [{ kind: 'undelivered', message: 'closewatch: closed with 3 events undelivered', dropped: 3 }]);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 0, failed: 0, dropped: 3, requests: 1 });
  d.enqueue(fakeEvent('after-close'));
  await d.close(50);
  assert.equal(errors.length, 1, 'close() is idempotent');
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 0, failed: 0, dropped: 3, requests: 1 });
  // After close, flush() is already settled: it wins against the next turn of the loop.
  const first = await Promise.race([d.flush().then(() => 'flush'), new Promise((resolve) => setImmediate(() => resolve('next turn')))]);
  assert.equal(first, 'flush');
});

test('sendAllNow sends every batch at once within the byte budget', async () => {
  const sink = await collector();
  const errors: ClosewatchError[] = [];
  const d = delivery(sink.url, errors, { batchSize: 1000, maxBatchBytes: 2000 });
  // Each event is 434 bytes of JSON (435 from u-10 on, a longer id). A body is the
  // events, commas, and a 60-byte envelope; the SDK budgets the envelope at 69 bytes
  // (room for a 10-digit meta.dropped). Batches of at most 2000 bytes hold 4 events
  // (1808 budgeted), and the 5000-byte budget leaves 1384 for a third batch: 3 events.
  const labels = { blob: 'x'.repeat(200) };
  const sent = ids('u', 30);
  for (const id of sent) d.enqueue(fakeEvent(id, { labels }));
  d.sendAllNow(5000);
  assert.deepEqual(d.stats(), { queued: 19, inFlight: 11, delivered: 0, failed: 0, dropped: 0, requests: 3 });
  await sink.waitForEvents(11);
  // Sent in parallel: they may arrive in any order.
  const parallel = sink.requests.map((r) => [r.body.events.map((e) => e.id), r.rawBytes] as const);
  assert.deepEqual(parallel.sort((a, b) => (a[0][0] ?? '').localeCompare(b[0][0] ?? '')), [
    [['u-0', 'u-1', 'u-2', 'u-3'], 1799],
    [['u-4', 'u-5', 'u-6', 'u-7'], 1799],
    [['u-8', 'u-9', 'u-10'], 1365],
  ]);
  await d.flush();
  assert.deepEqual(sink.requests.slice(3).map((r) => [r.body.events.map((e) => e.id), r.rawBytes]), [
    [['u-11', 'u-12', 'u-13', 'u-14'], 1803],
    [['u-15', 'u-16', 'u-17', 'u-18'], 1803],
    [['u-19', 'u-20', 'u-21', 'u-22'], 1803],
    [['u-23', 'u-24', 'u-25', 'u-26'], 1803],
    [['u-27', 'u-28', 'u-29'], 1367],
  ]);
  assert.deepEqual(errors, []);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 30, failed: 0, dropped: 0, requests: 8 });
});

test('an onError that throws does not break delivery', async () => {
  const sink = await collector((request, index) => (index === 0 ? { status: 500 } : accept(request, index)));
  let calls = 0;
  const d = delivery(sink.url, [], {
    onError: () => {
      calls++;
      throw new Error('bad handler');
    },
  });
  d.enqueue(fakeEvent('h-1'));
  await d.flush();
  assert.deepEqual(sink.requests.map((r) => [r.status, r.body.events.map((e) => e.id)]), [
    [500, ['h-1']],
    [200, ['h-1']],
  ]);
  assert.equal(calls, 1);
  assert.deepEqual(d.stats(), { queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0, requests: 2 });
});

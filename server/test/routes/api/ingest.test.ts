import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { startTestApp, TEST_KEY, type TestApp } from '../../helpers/test-app.js';
import { makeEvent } from '../../helpers/events.js';

let t: TestApp;

before(async () => {
  t = await startTestApp({ MAX_BODY_BYTES: '65536', MAX_BATCH_EVENTS: '100' });
});
after(() => t.destroy());

async function storedCount(): Promise<number> {
  return ((await t.query('SELECT count(*) AS n FROM close_event'))[0] as { n: number }).n;
}
async function rollupCount(): Promise<number> {
  return ((await t.query('SELECT coalesce(sum(count), 0) AS n FROM close_rollup_minute'))[0] as { n: number }).n;
}

async function post(body: unknown, headers: Record<string, string> = {}) {
  return t.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

describe('POST /api/v1/events', () => {
  let before0 = 0;
  beforeEach(async () => {
    before0 = await storedCount();
  });

  test('stores a valid batch and reports it', async () => {
    const res = await post({ events: [makeEvent(), makeEvent({ code: 1011, reason: 'user 8812 banned' }), makeEvent({ code: null, wasClean: false, initiator: 'unknown' })] });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { accepted: 3, duplicates: 0, rejected: [] });
    assert.equal(await storedCount(), before0 + 3);
    const row = (await t.query("SELECT reason, reason_template FROM close_event WHERE code = 1011"))[0];
    assert.deepEqual(row, { reason: 'user 8812 banned', reason_template: 'user {n} banned' });
  });

  test('stores text with tabs, newlines, backslashes, quotes and non-ASCII as it was sent, and an id repeated in a batch once', async () => {
    // PostgreSQL takes events with COPY, whose text format escapes these characters.
    const reason = 'tab\there\nnew line\r\\N \\ "quoted" é 😀';
    const labels = { plan: 'a\tb\nc \\N "d"', tier: '\\' };
    const odd = makeEvent({ code: 4321, reason, labels, route: '/ws/\\N', instance: 'pod "7"' });
    const res = await post({ events: [odd, makeEvent({ code: 4322 }), { ...odd, reason: 'the second copy' }] });
    assert.deepEqual(res.json(), { accepted: 2, duplicates: 1, rejected: [] });
    const rows = await t.query<{ reason: string; labels: string; route: string; instance: string }>('SELECT reason, labels, route, instance FROM close_event WHERE code = 4321');
    assert.deepEqual(rows.map((r) => ({ ...r, labels: JSON.parse(r.labels) as unknown })), [{ reason, labels, route: '/ws/\\N', instance: 'pod "7"' }]);
    // A retry holding a stored id: PostgreSQL stores the batch with INSERT ... ON CONFLICT instead.
    const odder = makeEvent({ code: 4321, reason: 'user 7 said "{x,\\y}"', labels, route: '/ws/{a,b}', instance: 'pod\t"8"\\' });
    const retry = await post({ events: [odd, odder] });
    assert.deepEqual(retry.json(), { accepted: 1, duplicates: 1, rejected: [] });
    const stored = await t.query<{ reason: string; route: string; instance: string }>('SELECT reason, route, instance FROM close_event WHERE code = 4321 ORDER BY seq');
    assert.deepEqual(stored.at(-1), { reason: odder.reason, route: '/ws/{a,b}', instance: 'pod\t"8"\\' });
    // The rollups' keys hold the same text, also once the hour is rolled up (rollup-watermark.ts).
    await t.app.db.writer.rollUp(Date.now() + 3_600_000);
    assert.deepEqual(await t.query('SELECT route, count FROM close_rollup_hour WHERE code = 4321 ORDER BY route'), [
      { route: '/ws/\\N', count: 1 },
      { route: '/ws/{a,b}', count: 1 },
    ]);
    assert.deepEqual(await t.query('SELECT instance, count FROM instance_rollup_day WHERE code = 4321 ORDER BY instance'), [
      { instance: 'pod\t"8"\\', count: 1 },
      { instance: 'pod "7"', count: 1 },
    ]);
    const templates = await t.query('SELECT reason_template, count(*) AS count FROM close_event WHERE code = 4321 GROUP BY reason_template ORDER BY reason_template');
    assert.equal(templates.length, 2);
    assert.deepEqual(await t.query('SELECT reason_template, count FROM reason_rollup_minute WHERE code = 4321 ORDER BY reason_template'), templates);
  });

  test('accepts RFC 3339 and epoch-ms timestamps', async () => {
    // Yesterday at 10:00 UTC: inside RETENTION_DAYS whenever the test runs.
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const res = await post({ events: [makeEvent({ ts: `${day}T10:00:00.250Z` }), makeEvent({ ts: `${day}T11:00:00+01:00` })] });
    assert.equal(res.statusCode, 200);
    const rows = await t.query('SELECT ts FROM close_event ORDER BY seq DESC LIMIT 2') as Array<{ ts: number }>;
    assert.deepEqual(rows.map((r) => r.ts).sort(), [Date.parse(`${day}T10:00:00Z`), Date.parse(`${day}T10:00:00.250Z`)]);
  });

  test('accepts gzip bodies', async () => {
    const body = gzipSync(JSON.stringify({ events: [makeEvent(), makeEvent()] }));
    const res = await post(body, { 'content-encoding': 'gzip' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().accepted, 2);
    assert.equal(await storedCount(), before0 + 2);
  });

  test('truncates reasons over the 123-byte wire limit at a character boundary', async () => {
    const reason = 'é'.repeat(100); // 200 bytes
    const res = await post({ events: [makeEvent({ reason })] });
    assert.equal(res.statusCode, 200);
    const row = (await t.query('SELECT reason, CASE WHEN reason_truncated THEN 1 ELSE 0 END AS reason_truncated FROM close_event ORDER BY seq DESC LIMIT 1'))[0] as { reason: string; reason_truncated: number };
    assert.equal(row.reason, 'é'.repeat(61));
    assert.equal(Buffer.byteLength(row.reason), 122);
    assert.equal(row.reason_truncated, 1);
  });

  test('stores the valid events of a partly invalid batch and lists the others', async () => {
    const res = await post({ events: [makeEvent(), makeEvent({ code: 70000 }), makeEvent(), makeEvent({ service: '' })] });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.accepted, 2);
    assert.deepEqual(body.rejected.map((r: { index: number; field: string }) => [r.index, r.field]), [[1, 'code'], [3, 'service']]);
    assert.equal(await storedCount(), before0 + 2);
  });

  const badEvents: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['wrong type of code', { code: '1000' }, 'code', /code must be an integer from 0 to 65535, or null/],
    ['wrong type of wasClean', { wasClean: 'yes' }, 'wasClean', /wasClean must be true or false/],
    ['missing service', { service: undefined }, 'service', /service is required/],
    ['missing id', { id: undefined }, 'id', /id is required/],
    ['code out of range', { code: 65536 }, 'code', /from 0 to 65535/],
    ['negative code', { code: -1 }, 'code', /from 0 to 65535/],
    ['unknown initiator', { initiator: 'proxy' }, 'initiator', /"server", "client" or "unknown"/],
    ['oversized reason', { reason: 'x'.repeat(1025) }, 'reason', /reason is 1025 bytes; at most 1024 are accepted/],
    ['too many labels', { labels: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, 'labels', /labels has 17 keys; at most 16/],
    ['non-string label', { labels: { region: 3 } }, 'labels.region', /label region must be a string of at most 256 characters, got number$/],
    ['a label key with a newline', { labels: { 'a\nb': 'v' } }, 'labels.a\nb', /label key "a\\nb" is not allowed; keys are 1-64 characters of A-Z a-z 0-9 _ \. : -, not __proto__$/],
    ['a label key with a space', { labels: { 'bad key': 'v' } }, 'labels.bad key', /label key "bad key" is not allowed; keys are 1-64 characters of A-Z a-z 0-9 _ \. : -, not __proto__$/],
    ['a label key of 65 characters', { labels: { ['k'.repeat(65)]: 'v' } }, `labels.${'k'.repeat(64)}...`, /label key "k{64}\.\.\." is not allowed; keys are 1-64 characters of A-Z a-z 0-9 _ \. : -, not __proto__$/],
    ['an empty label key', { labels: { '': 'v' } }, 'labels.', /label key "" is not allowed; keys are 1-64 characters of A-Z a-z 0-9 _ \. : -, not __proto__$/],
    ['a label value of 257 characters', { labels: { region: 'v'.repeat(257) } }, 'labels.region', /label region must be a string of at most 256 characters, got 257 characters$/],
    ['a 60000-character label value', { labels: { region: 'v'.repeat(60_000) } }, 'labels.region', /label region must be a string of at most 256 characters, got 60000 characters$/],
    ['a nested label value', { labels: { region: { deep: { deeper: 'x' } } } }, 'labels.region', /label region must be a string of at most 256 characters, got object$/],
    ['labels that are an array', { labels: ['eu'] }, 'labels', /labels must be an object of at most 16 string labels$/],
    ['durationMs over 400 days', { durationMs: 400 * 86_400_000 + 1 }, 'durationMs', /durationMs must be an integer from 0 to 34560000000 \(milliseconds, 400 days\), or null$/],
    ['messagesIn over 1e12', { messagesIn: 1e12 + 1 }, 'messagesIn', /messagesIn must be an integer from 0 to 1000000000000, or null$/],
    ['messagesOut of 1e300', { messagesOut: 1e300 }, 'messagesOut', /messagesOut must be an integer from 0 to 1000000000000, or null$/],
    ['bytesIn over 1e15', { bytesIn: 1e15 + 1 }, 'bytesIn', /bytesIn must be an integer from 0 to 1000000000000000, or null$/],
    ['negative bytesOut', { bytesOut: -1 }, 'bytesOut', /bytesOut must be an integer from 0 to 1000000000000000, or null$/],
    ['bad timestamp', { ts: 'yesterday' }, 'ts', /ts "yesterday" must be an RFC 3339 timestamp/],
    ['timestamp in seconds', { ts: 1795700000 }, 'ts', /looks like epoch seconds; send epoch milliseconds \(1795700000000\)/],
    ['timestamp far in the future', { ts: Date.now() + 3 * 86_400_000 }, 'ts', /more than 24 h in the future/],
    ['negative duration', { durationMs: -5 }, 'durationMs', /durationMs must be an integer from 0 to 34560000000/],
    ['a clientKey with a newline', { clientKey: 'a\nb' }, 'clientKey', /clientKey must be a string of 1-128 characters without control characters, or null$/],
    ['an empty clientKey', { clientKey: '' }, 'clientKey', /clientKey must be a string of 1-128 characters/],
    ['a clientAgent of 65 characters', { clientAgent: 'x'.repeat(65) }, 'clientAgent', /clientAgent must be a string of 1-64 characters/],
    ['a previousCode of 70000', { previousCode: 70000, reconnectDelayMs: 5 }, 'previousCode', /previousCode must be an integer from 0 to 65535, or null/],
    ['a negative reconnectDelayMs', { reconnectDelayMs: -1 }, 'reconnectDelayMs', /reconnectDelayMs must be an integer from 0 to 34560000000 \(milliseconds from the previous close to this open\), or null$/],
  ];
  for (const [name, overrides, field, message] of badEvents) {
    test(`rejects ${name} with 400 naming ${field}, storing nothing`, async () => {
      const res = await post({ events: [makeEvent(overrides)] });
      assert.equal(res.statusCode, 400);
      const body = res.json();
      assert.equal(body.error.code, 'NO_VALID_EVENTS');
      assert.equal(body.accepted, 0);
      assert.equal(body.rejected.length, 1);
      assert.equal(body.rejected[0].index, 0);
      assert.equal(body.rejected[0].field, field);
      assert.match(body.rejected[0].message, message);
      assert.match(body.error.message, message);
      assert.equal(await storedCount(), before0);
    });
  }

  const badRequests: Array<[string, () => Promise<{ statusCode: number; json(): { error: { code: string; message: string } } }>, number, string, RegExp]> = [
    ['an event that is not an object', () => post({ events: ['nope'] }), 400, 'NO_VALID_EVENTS', /must be a JSON object/],
    ['an empty batch', () => post({ events: [] }), 400, 'EMPTY_BATCH', /events is empty; send at least one event/],
    ['a body that is not JSON', () => post('{"events": [', {}), 400, 'INVALID_JSON', /not valid JSON/],
    ['a body without the envelope', () => post({ items: [] }), 400, 'INVALID_REQUEST', /body\.events is required/],
    ['events that is not an array', () => post({ events: {} }), 400, 'INVALID_REQUEST', /body\.events must be array/],
    ['a batch over the event limit', () => post({ events: Array.from({ length: 101 }, () => makeEvent()) }), 413, 'BATCH_TOO_LARGE', /101 events; at most 100/],
    ['a body over the byte limit', () => post({ events: Array.from({ length: 70 }, () => makeEvent({ reason: 'r'.repeat(1000) })) }), 413, 'BODY_TOO_LARGE', /larger than 64 KiB/],
    ['a gzip bomb over the byte limit', () => post(gzipSync(JSON.stringify({ events: [makeEvent({ reason: ' '.repeat(200_000) })] })), { 'content-encoding': 'gzip' }), 413, 'BODY_TOO_LARGE', /after decompression/],
    ['bad gzip', () => post(Buffer.from('definitely not gzip'), { 'content-encoding': 'gzip' }), 400, 'INVALID_GZIP', /not valid gzip/],
    ['meta.dropped over 1e9', () => post({ events: [makeEvent()], meta: { sdk: 'test', dropped: 1e9 + 1 } }), 400, 'INVALID_REQUEST', /^body\.meta\.dropped must be <= 1000000000$/],
    ['meta.dropped of 1e300', () => post({ events: [makeEvent()], meta: { dropped: 1e300 } }), 400, 'INVALID_REQUEST', /^body\.meta\.dropped must be <= 1000000000$/],
    ['a __proto__ label key (fastify refuses the key anywhere in a body)', () => post('{"events": [{"labels": {"__proto__": "v"}}]}'), 400, 'INVALID_JSON', /has a __proto__ or constructor\.prototype key/],
    ['a __proto__ key in the envelope', () => post('{"events": [], "__proto__": {"polluted": true}}'), 400, 'INVALID_JSON', /has a __proto__ or constructor\.prototype key/],
    ['an unsupported encoding', () => post(Buffer.from('x'), { 'content-encoding': 'br' }), 415, 'UNSUPPORTED_ENCODING', /"br" is not supported/],
    ['a missing key', () => post({ events: [makeEvent()] }, { authorization: '' }), 401, 'MISSING_KEY', /Authorization: Bearer <key>/],
    ['a wrong key', () => post({ events: [makeEvent()] }, { authorization: 'Bearer cw_not_a_real_key_at_all' }), 401, 'UNKNOWN_KEY', /unknown or revoked/],
    ['a non-JSON content type', () => post('events', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json/],
  ];
  for (const [name, send, status, code, message] of badRequests) {
    test(`answers ${name} with ${status} ${code}, storing nothing`, async () => {
      const rollups = await rollupCount();
      const res = await send();
      assert.equal(res.statusCode, status);
      assert.equal(res.json().error.code, code);
      assert.match(res.json().error.message, message);
      assert.equal(await storedCount(), before0);
      assert.equal(await rollupCount(), rollups);
    });
  }

  test('the process stays up and keeps ingesting after bad input', async () => {
    const res = await post({ events: [makeEvent()] });
    assert.equal(res.statusCode, 200);
    assert.equal((await t.inject('/healthz')).statusCode, 200);
  });

  test('accepts every counter, label and meta.dropped at exactly its maximum', async () => {
    const labels = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`${'k'.repeat(60)}.:-${String.fromCharCode(65 + i)}`, 'v'.repeat(256)]));
    const event = makeEvent({ service: 'at-max', durationMs: 34_560_000_000, messagesIn: 1e12, messagesOut: 1e12, bytesIn: 1e15, bytesOut: 1e15, labels });
    const res = await post({ events: [event], meta: { sdk: 's'.repeat(128), dropped: 1e9 } });
    assert.deepEqual(res.json(), { accepted: 1, duplicates: 0, rejected: [] });
    const row = (await t.query("SELECT duration_ms, messages_in, messages_out, bytes_in, bytes_out, labels FROM close_event WHERE service = 'at-max'"))[0] as Record<string, unknown>;
    assert.deepEqual({ ...row, labels: JSON.parse(row.labels as string) }, {
      duration_ms: 34_560_000_000, messages_in: 1e12, messages_out: 1e12, bytes_in: 1e15, bytes_out: 1e15, labels,
    });
    const drops = (await t.query("SELECT dropped FROM drop_report WHERE service = 'at-max'"))[0];
    assert.deepEqual(drops, { dropped: 1e9 });
  });

  test('records SDK drop reports', async () => {
    const res = await post({ events: [makeEvent({ service: 'drops', instance: 'd-1' })], meta: { sdk: 'test', dropped: 7 } });
    assert.equal(res.statusCode, 200);
    const row = (await t.query("SELECT service, instance, dropped FROM drop_report WHERE service = 'drops'"))[0];
    assert.deepEqual(row, { service: 'drops', instance: 'd-1', dropped: 7 });
  });

  test('a retry of a stored batch does not count its drop report again; the next batch adds its own', async () => {
    const batch = { events: [makeEvent({ service: 'retried-drops' }), makeEvent({ service: 'retried-drops' })], meta: { sdk: 'test', dropped: 4 } };
    const total = async () => (await t.query("SELECT coalesce(sum(dropped), 0) AS n FROM drop_report WHERE service = 'retried-drops'"))[0];
    assert.deepEqual((await post(batch)).json(), { accepted: 2, duplicates: 0, rejected: [] });
    // The acknowledgement was lost: the SDK sends the same batch, with the same report, again.
    assert.deepEqual((await post(batch)).json(), { accepted: 0, duplicates: 2, rejected: [] });
    assert.deepEqual(await total(), { n: 4 });
    await post({ events: [makeEvent({ service: 'retried-drops' })], meta: { sdk: 'test', dropped: 3 } });
    assert.deepEqual(await total(), { n: 7 });
  });
});

describe('idempotent retries', () => {
  test('a retried batch never counts an event twice, also after a restart', async () => {
    const batch = { events: Array.from({ length: 20 }, (_, i) => makeEvent({ service: 'retry', code: i % 2 === 0 ? 1000 : 1006 })) };
    const first = await post(batch);
    assert.deepEqual(first.json(), { accepted: 20, duplicates: 0, rejected: [] });
    const again = await post(batch);
    assert.deepEqual(again.json(), { accepted: 0, duplicates: 20, rejected: [] });

    await t.restart();
    const mixed = { events: [...batch.events.slice(0, 5), makeEvent({ service: 'retry' })] };
    const afterRestart = await post(mixed);
    assert.deepEqual(afterRestart.json(), { accepted: 1, duplicates: 5, rejected: [] });

    const stored = (await t.query("SELECT count(*) AS n FROM close_event WHERE service = 'retry'"))[0] as { n: number };
    const rolled = (await t.query("SELECT sum(count) AS n FROM close_rollup_minute WHERE service = 'retry'"))[0] as { n: number };
    await t.app.db.writer.rollUp(Date.now() + 3_600_000);
    const hourly = (await t.query("SELECT sum(count) AS n FROM close_rollup_hour WHERE service = 'retry'"))[0] as { n: number };
    assert.equal(stored.n, 21);
    assert.equal(rolled.n, 21);
    assert.equal(hourly.n, 21);
  });

  test('the same id under another key is another event', async () => {
    const other = await t.app.db.keys.create({ name: 'other' });
    const event = makeEvent({ service: 'two-keys' });
    await post({ events: [event] });
    const res = await post({ events: [event] }, { authorization: `Bearer ${other.secret}` });
    assert.deepEqual(res.json(), { accepted: 1, duplicates: 0, rejected: [] });
  });

  test('a revoked key is refused', async () => {
    const { key, secret } = await t.app.db.keys.create({ name: 'to-revoke' });
    assert.equal((await post({ events: [makeEvent()] }, { authorization: `Bearer ${secret}` })).statusCode, 200);
    assert.equal(await t.app.db.keys.revoke(key.id), true);
    const res = await post({ events: [makeEvent()] }, { authorization: `Bearer ${secret}` });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'UNKNOWN_KEY');
  });
});

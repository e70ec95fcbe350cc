/**
 * Property-based fuzzing of the ingest API over real HTTP: thousands of malformed and
 * edge-case requests against a listening collector. Whatever arrives, the answer is a
 * 4xx with `{ error: { code, message } }` or the ingest report, never a 5xx; the rows
 * stored are exactly the events the collector said it accepted; the process stays up.
 *
 * Reproducible: the seed is fixed (FUZZ_SEED overrides it, FUZZ_RUNS the run count) and
 * printed with any failure.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_201);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_BATCH_EVENTS = 50;
const NOW = Date.now();
const DAY = 86_400_000;

let t: TestApp;
let url: string;

before(async () => {
  t = await startTestApp({ MAX_BODY_BYTES: String(MAX_BODY_BYTES), MAX_BATCH_EVENTS: String(MAX_BATCH_EVENTS), INGEST_RATE_LIMIT: '10000000' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
after(() => t.destroy());

// ---------------------------------------------------------------- values

/** A string JSON.stringify leaves as a marker, replaced by raw JSON text afterwards (1e400, deep nesting). */
const RAW = '\u0000raw:';
function raw(text: string): string {
  return `${RAW}${text}`;
}
function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw:([^"]*)"/g, '$1');
}

/** An object with exactly these own keys, `__proto__` included (plain assignment would set the prototype). */
function objectOf(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const safeInt = (min: number, max: number): fc.Arbitrary<number> => fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-1, -0, 0.5, 2 ** 53, 2 ** 53 + 2, 1e9 + 1, 1e12 + 1, 1e15 + 1, 400 * DAY + 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER),
  fc.constantFrom(raw('1e400'), raw('-1e400'), raw(`1${'0'.repeat(400)}`), raw('1.0e2'), raw('-0.0')),
);

const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\n', '\u0000', '\ud800', '\udfff', '__proto__', 'constructor', 'prototype', 'toString', '\u202e', '😀', 'é'),
  fc.nat({ max: 3000 }).map((n) => 'x'.repeat(n)),
);

const deepJson = fc.tuple(fc.nat({ max: 20_000 }), fc.boolean()).map(([depth, arrays]) => raw(arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  deepJson,
);

const validKey = fc.string({ unit: fc.constantFrom(...'abcXYZ019_.:-'), minLength: 1, maxLength: 64 });
const nastyKey = fc.oneof(
  validKey,
  fc.string({ unit: 'binary', maxLength: 70 }),
  fc.constantFrom('', '__proto__', 'constructor', 'prototype', 'a\nb', 'a\u0000b', 'bad key', 'k'.repeat(65), 'k'.repeat(5000)),
);

const nastyLabels: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(fc.tuple(nastyKey, fc.oneof(fc.string({ maxLength: 300 }), nastyValue)), { maxLength: 20 }).map(objectOf),
  fc.integer({ min: 15, max: 40 }).map((n) => objectOf(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'] as const))),
  fc.integer({ min: 250, max: 100_000 }).map((n) => ({ region: 'v'.repeat(n) })),
  nastyValue,
);

const validEvent = fc.record(
  {
    id: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 128 })),
    ts: fc.oneof(safeInt(NOW - 7 * DAY, NOW), safeInt(NOW - 7 * DAY, NOW).map((ms) => new Date(ms).toISOString())),
    code: fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constant(null)),
    reason: fc.string({ maxLength: 200 }),
    wasClean: fc.boolean(),
    initiator: fc.constantFrom('server', 'client', 'unknown'),
    service: fc.string({ minLength: 1, maxLength: 20 }),
    instance: fc.string({ minLength: 1, maxLength: 20 }),
    route: fc.string({ maxLength: 50 }),
    durationMs: safeInt(0, 400 * DAY),
    messagesIn: safeInt(0, 1e12),
    messagesOut: safeInt(0, 1e12),
    bytesIn: safeInt(0, 1e15),
    bytesOut: safeInt(0, 1e15),
    labels: fc.array(fc.tuple(validKey, fc.string({ maxLength: 256 })), { maxLength: 16 }).map(objectOf),
    clientKey: fc.string({ unit: fc.constantFrom(...'abcdef0123456789:-'), minLength: 1, maxLength: 128 }),
    clientAgent: fc.constantFrom('Chrome 131', 'okhttp 4', 'Python websockets 13', 'other'),
    previousCode: fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constant(null)),
    reconnectDelayMs: safeInt(0, 400 * DAY),
  },
  { requiredKeys: ['id', 'ts', 'code', 'wasClean', 'initiator', 'service', 'instance', 'route'] },
);

const FIELDS = ['id', 'ts', 'code', 'reason', 'wasClean', 'initiator', 'service', 'instance', 'route', 'durationMs', 'messagesIn', 'messagesOut', 'bytesIn', 'bytesOut', 'labels', 'remoteAddrHash', 'clientKey', 'clientAgent', 'previousCode', 'reconnectDelayMs'] as const;

type Mutation = { kind: 'set'; field: string; value: unknown } | { kind: 'delete'; field: string } | { kind: 'labels'; labels: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...FIELDS, '__proto__', 'constructor', 'extra'), value: nastyValue }),
  fc.record({ kind: fc.constant('delete' as const), field: fc.constantFrom(...FIELDS) }),
  fc.record({ kind: fc.constant('labels' as const), labels: nastyLabels }),
);

const event: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: validEvent },
  {
    weight: 6,
    arbitrary: fc.tuple(validEvent, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([base, mutations]) => {
      const entries = new Map<string, unknown>(Object.entries(base));
      for (const m of mutations) {
        if (m.kind === 'set') entries.set(m.field, m.value);
        else if (m.kind === 'delete') entries.delete(m.field);
        else entries.set('labels', m.labels);
      }
      return objectOf([...entries]);
    }),
  },
  { weight: 1, arbitrary: nastyValue },
);

const envelope = fc.record(
  {
    events: fc.oneof(
      { weight: 12, arbitrary: fc.array(event, { maxLength: 6 }) },
      { weight: 1, arbitrary: fc.array(validEvent, { minLength: MAX_BATCH_EVENTS - 2, maxLength: MAX_BATCH_EVENTS + 5 }) },
      { weight: 1, arbitrary: nastyValue },
    ),
    meta: fc.oneof(
      fc.record({ sdk: fc.oneof(nastyString, fc.string({ maxLength: 128 })), dropped: fc.oneof(safeInt(0, 1e9), nastyNumber) }, { requiredKeys: [] }),
      nastyValue,
    ),
    extra: nastyValue,
  },
  { requiredKeys: ['events'] },
);

// ---------------------------------------------------------------- requests

interface FuzzRequest {
  kind: string;
  body: Uint8Array;
  headers: Record<string, string>;
  /** How many events the body carries, when it is a well-formed envelope as sent. */
  events: number | undefined;
}

function eventCount(value: { events?: unknown }): number | undefined {
  return Array.isArray(value.events) ? value.events.length : undefined;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

const anyRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 24, arbitrary: envelope.map((e) => ({ kind: 'json', body: bytes(toJson(e)), headers: JSON_HEADERS, events: eventCount(e) })) },
  {
    weight: 3,
    arbitrary: envelope.map((e) => ({ kind: 'gzip', body: gzipSync(toJson(e)), headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, events: eventCount(e) })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(envelope, fc.double({ min: 0, max: 1, noNaN: true })).map(([e, cut]) => {
      const zipped = gzipSync(toJson(e));
      return { kind: 'gzip-truncated', body: zipped.subarray(0, Math.floor(zipped.length * cut)), headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, events: undefined };
    }),
  },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 600 }).map((body) => ({ kind: 'bytes', body, headers: JSON_HEADERS, events: undefined })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(envelope, fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf], [0xe2, 0x82]), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([e, bad, at]) => {
        const body = Buffer.from(toJson(e), 'utf8');
        const cut = Math.floor(body.length * at);
        return { kind: 'invalid-utf8', body: Buffer.concat([body.subarray(0, cut), Buffer.from(bad), body.subarray(cut)]), headers: JSON_HEADERS, events: undefined };
      }),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        envelope,
        fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/jsonp', 'multipart/form-data; boundary=x', '', 'APPLICATION/JSON', 'application/json;;;', 'application/problem+json', 'application/json-seq'),
      )
      .map(([e, type]): FuzzRequest => ({ kind: 'content-type', body: bytes(toJson(e)), headers: type === '' ? {} : { 'content-type': type }, events: eventCount(e) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(envelope, fc.constantFrom('br', 'deflate', 'gzip, br', 'identity', 'compress', 'x-gzip', 'GZIP'))
      .map(([e, encoding]) => ({ kind: 'content-encoding', body: bytes(toJson(e)), headers: { ...JSON_HEADERS, 'content-encoding': encoding }, events: eventCount(e) })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(validEvent, fc.constantFrom('reason', 'padding', 'gzip-bomb')).map(([e, how]) => {
      const huge = 'x'.repeat(how === 'padding' ? MAX_BODY_BYTES + 1 : 10 * 1024 * 1024);
      const body = toJson(how === 'padding' ? { events: [e], padding: huge } : { events: [{ ...e, reason: huge }] });
      if (how === 'gzip-bomb') return { kind: how, body: gzipSync(body), headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, events: 1 };
      return { kind: `huge-${how}`, body: bytes(body), headers: JSON_HEADERS, events: 1 };
    }),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(envelope, fc.constantFrom('', 'Bearer', 'Bearer cw_nope_nope_nope_nope', 'Basic abc', 'Bearer a b')).map(([e, auth]) => ({
      kind: 'auth',
      body: bytes(toJson(e)),
      headers: { ...JSON_HEADERS, authorization: auth },
      events: eventCount(e),
    })),
  },
);

/** Counterexamples print as a summary, not as a buffer of megabytes. */
const request = anyRequest.map((req) =>
  Object.assign(req, {
    [fc.toStringMethod]: () =>
      `${req.kind} request, ${req.body.length} bytes, headers ${JSON.stringify(req.headers)}, body starting ${JSON.stringify(Buffer.from(req.body.subarray(0, 400)).toString('utf8'))}`,
  }),
);

// ---------------------------------------------------------------- checks

const countRows = async (): Promise<number> => ((await t.query('SELECT count(*) AS n FROM close_event'))[0] as { n: number }).n;
const countRolledUp = async (): Promise<number> => ((await t.query('SELECT coalesce(sum(count), 0) AS n FROM close_rollup_minute'))[0] as { n: number }).n;

/** Messages and field names stay short whatever was sent: responses never copy megabytes. */
const MAX_MESSAGE = 400;
const MAX_FIELD = 80;

function checkReport(body: unknown, events: number | undefined): { accepted: number } {
  const report = body as { accepted: unknown; duplicates: unknown; rejected: unknown };
  assert.ok(Number.isInteger(report.accepted) && Number.isInteger(report.duplicates) && Array.isArray(report.rejected), 'an ingest report');
  const rejected = report.rejected as Array<{ index: unknown; field: unknown; message: unknown }>;
  for (const r of rejected) {
    assert.ok(Number.isInteger(r.index), 'rejected.index');
    assert.ok(typeof r.field === 'string' && r.field.length > 0 && r.field.length <= MAX_FIELD, `rejected.field ${String(r.field).slice(0, 100)}`);
    assert.ok(typeof r.message === 'string' && r.message.length > 0 && r.message.length <= MAX_MESSAGE, `rejected.message ${String(r.message).slice(0, 100)}`);
  }
  const accepted = report.accepted as number;
  if (events !== undefined) assert.equal(accepted + (report.duplicates as number) + rejected.length, events, 'every event is accepted, a duplicate or rejected');
  return { accepted };
}

const totals = { runs: 0, accepted: 0, statuses: new Map<number, number>() };

async function send(req: FuzzRequest): Promise<void> {
  const rowsBefore = (await countRows());
  const rolledBefore = (await countRolledUp());
  const headers: Record<string, string> = { authorization: `Bearer ${t.key}`, ...req.headers };
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers, body: req.body });
  const text = await res.text();
  totals.runs++;
  totals.statuses.set(res.status, (totals.statuses.get(res.status) ?? 0) + 1);
  assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `status ${res.status} for ${req.kind}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  let accepted = 0;
  if (res.status === 200) accepted = checkReport(body, req.events).accepted;
  else {
    const { code, message } = body.error ?? {};
    assert.ok(typeof code === 'string' && /^[A-Z_]+$/.test(code), `error.code ${String(code)}`);
    assert.ok(typeof message === 'string' && message.length > 0 && message.length <= MAX_MESSAGE, `error.message ${String(message).slice(0, 100)}`);
    if (code === 'NO_VALID_EVENTS') assert.equal(checkReport(body, req.events).accepted, 0);
  }
  totals.accepted += accepted;
  assert.equal((await countRows()) - rowsBefore, accepted, `rows stored for ${req.kind} (status ${res.status})`);
  assert.equal((await countRolledUp()) - rolledBefore, accepted, `closes rolled up for ${req.kind}`);
}

test(`${RUNS} malformed and edge-case ingest requests: never a 5xx, rows = accepted events (seed ${SEED})`, { timeout: 300_000 }, async (ctx) => {
  const startedAt = performance.now();
  try {
    await fc.assert(fc.asyncProperty(request, send), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  } catch (error) {
    // fast-check's message holds the seed and path too; say how to replay it.
    const cause = (error as { cause?: unknown }).cause;
    const why = cause instanceof Error ? `\nthe failing run: ${cause.message}` : '';
    throw new Error(`ingest fuzz failed; replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}\n${(error as Error).message}${why}`, { cause: error });
  }
  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200);
  assert.equal((await countRows()), totals.accepted);
  assert.ok(totals.accepted > 0, 'some events were valid and stored');
  const statuses = [...totals.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ');
  ctx.diagnostic(`fuzz seed ${SEED}: ${totals.runs} requests in ${Math.round(performance.now() - startedAt)} ms; ${totals.accepted} events stored; ${statuses}`);
});

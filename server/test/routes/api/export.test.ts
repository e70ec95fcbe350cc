import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { makeEvent } from '../../helpers/events.js';
import { storedEvent } from '../../helpers/stored-event.js';
import { startTestApp, TEST_KEY, TEST_READ_TOKEN, type TestApp } from '../../helpers/test-app.js';
import { waitFor } from '../../helpers/wait-for.js';

const MIN = 60_000;
const T = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;

/** Reasons a CSV writer gets wrong, and the ones a spreadsheet would run as formulas. */
const TRICKY = ['a, b', 'say "hi"', 'line1\nline2', 'carriage\r\nreturn', 'party 🎉 time', 'שלום עולם', 'mixed עברית and English'];
const FORMULAS = ['=SUM(A1:A9)', '+1 555 0100', '-2 retries left', '@cmd', '\tindented', '\rreturn'];

let t: TestApp;
let base: string;
const sent: Array<Record<string, unknown>> = [];
/** Every other event is a browser-reported reconnect of a known client. */
const reconnectOf = (i: number): Record<string, unknown> =>
  i % 2 === 0 ? { clientKey: `ios:${i}`, clientAgent: 'Chrome 131', previousCode: 1012, reconnectDelayMs: 7_000 + i } : {};

before(async () => {
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  [...TRICKY, ...FORMULAS].forEach((reason, i) => {
    sent.push(makeEvent({ id: `tricky-${i}`, ts: T + i * 1000, code: i % 2 ? 1011 : 4001, reason, service: 'chat', labels: { note: reason.slice(0, 20), 'k.v': 'a,"b"' }, ...reconnectOf(i) }));
  });
  const res = await t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}` }, payload: { events: sent } });
  assert.equal(res.json().accepted, sent.length);
});
after(() => t.destroy());

const get = (query: string) => fetch(`${base}/api/v1/export.csv?${query}`, { headers: { authorization: `Bearer ${TEST_READ_TOKEN}` } });
const range = `from=${T - MIN}&to=${T + 10 * MIN}`;

describe('GET /api/v1/export.csv', () => {
  it('exports every event field by field, readable by a CSV parser, formulas made inert', async () => {
    const res = await get(`${range}&service=chat`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(
      res.headers.get('content-disposition'),
      `attachment; filename="closewatch-events-chat-${new Date(T - MIN).toISOString().slice(0, 16).replace(':', '-')}Z--${new Date(T + 10 * MIN).toISOString().slice(0, 16).replace(':', '-')}Z.csv"`,
    );
    const text = await res.text();
    assert.ok(!text.startsWith('\uFEFF'), 'no BOM unless asked');
    const records = parse(text, { columns: true, record_delimiter: '\r\n' }) as Array<Record<string, string>>;
    assert.equal(records.length, sent.length);
    records.forEach((r, i) => {
      const e = sent[i] as Record<string, unknown>;
      const reason = e.reason as string;
      assert.deepEqual(r, {
        timestamp: new Date(e.ts as number).toISOString(),
        service: 'chat',
        instance: 'chat-1',
        route: '/ws',
        code: String(e.code),
        code_name: e.code === 1011 ? 'Internal Error' : 'Private (application)',
        short_name: e.code === 1011 ? 'Error' : 'Other',
        category: e.code === 1011 ? 'server-error' : 'application',
        reason: FORMULAS.includes(reason) ? `'${reason}` : reason,
        reason_template: r.reason_template,
        was_clean: 'true',
        initiator: 'server',
        source: 'server',
        duration_ms: '12345',
        messages_in: '3',
        messages_out: '4',
        bytes_in: '120',
        bytes_out: '480',
        labels: JSON.stringify({ note: reason.slice(0, 20), 'k.v': 'a,"b"' }),
        client_key: i % 2 === 0 ? `ios:${i}` : '',
        client_agent: i % 2 === 0 ? 'Chrome 131' : '',
        previous_code: i % 2 === 0 ? '1012' : '',
        reconnect_delay_ms: i % 2 === 0 ? String(7_000 + i) : '',
        id: e.id as string,
      });
    });
    assert.deepEqual(
      records.filter((r) => FORMULAS.includes((r.reason ?? '').slice(1))).map((r) => r.reason),
      FORMULAS.map((f) => `'${f}`),
    );
  });

  it('adds the byte order mark for Excel with bom=1', async () => {
    const bytes = Buffer.from(await (await get(`${range}&bom=1`)).arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  });

  it('exports each aggregate with the numbers of the matching API answer', async () => {
    const api = async (path: string) => (await t.inject(`/api/v1/stats/${path}`)).json<Record<string, unknown>>();
    const csv = async (query: string) => parse(await (await get(query)).text(), { columns: true }) as Array<Record<string, string>>;

    const summary = await api(`summary?${range}`);
    const summaryCsv = await csv(`kind=summary&${range}`);
    assert.deepEqual(
      summaryCsv.map((r) => [r.code, r.count]),
      [...(summary.byCode as Array<{ code: number; count: number }>).map((c) => [String(c.code), String(c.count)]), ['', String(summary.total)]],
    );

    const series = await api(`timeseries?${range}&groupBy=code`);
    const seriesCsv = await csv(`kind=timeseries&${range}&groupBy=code`);
    const points = series.points as Array<{ t: number; values: Record<string, number> }>;
    const keys = (series.series as Array<{ key: string }>).map((s) => s.key);
    assert.deepEqual(
      seriesCsv.map((r) => [r.bucket_start, r.code, r.count]),
      points.flatMap((p) => keys.map((k) => [new Date(p.t).toISOString(), k, String(p.values[k])])),
    );

    const reasons = await api(`reasons?${range}`);
    const reasonsCsv = await csv(`kind=reasons&${range}`);
    const expected = (reasons.codes as Array<{ code: number; reasons: Array<{ template: string; count: number }> }>).flatMap((c) =>
      c.reasons.map((r) => [String(c.code), FORMULAS.includes(r.template) ? `'${r.template}` : r.template, String(r.count)]),
    );
    assert.deepEqual(reasonsCsv.filter((r) => !r.template?.startsWith('(other)')).map((r) => [r.code, r.template, r.count]), expected);

    const breakdown = await api(`breakdown?${range}`);
    const breakdownCsv = await csv(`kind=breakdown&${range}`);
    assert.deepEqual(
      breakdownCsv.filter((r) => r.group === 'service').map((r) => [r.service, r.total, r.error]),
      (breakdown.services as Array<{ service: string; total: number; error: number }>).map((s) => [s.service, String(s.total), String(s.error)]),
    );
  });

  it('needs a read credential, and says what is wrong with a bad kind', async () => {
    assert.equal((await fetch(`${base}/api/v1/export.csv`)).status, 401);
    const bad = await get('kind=everything');
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { error: { code: 'INVALID_QUERY', message: 'querystring.kind: must be one of events, timeseries, summary, reasons, breakdown, reconnects' } });
  });
});

/** A full collection, so the heap measured is what is held (V8's gc, exposed at run time). */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('a large export', () => {
  const ROWS = 300_000;

  before(async () => {
    const start = T - 20 * MIN;
    for (let i = 0; i < ROWS; i += 10_000) {
      await t.app.db.writer.write(Array.from({ length: 10_000 }, (_, k) => storedEvent({ eventId: `bulk-${i + k}`, ts: start + Math.floor(((i + k) * 10 * MIN) / ROWS), service: 'bulk', reason: `reason ${k % 97}` })));
    }
  });

  const pagesRead = async (): Promise<number> => {
    const text = (await t.inject('/metrics')).body;
    return Number(/^closewatch_export_pages_read_total (\d+)$/m.exec(text)?.[1] ?? 'NaN');
  };

  /**
   * Streams an export of the service's rows in [from, to) and measures the heap it holds
   * while it runs: the heap after a full collection every 2 MB read, so garbage not yet
   * collected (how much depends on when V8 runs its collector, i.e. on the machine's load)
   * does not count, while rows the export kept would.
   */
  const streamed = async (from: number, to: number): Promise<{ lines: number; growthMb: number }> => {
    const res = await get(`service=bulk&from=${from}&to=${to}`);
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    let lines = 0;
    let bytes = 0;
    let collectedAt = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      // These rows hold no line break of their own: every \n ends a record (\r\n).
      for (const byte of chunk) if (byte === 10) lines += 1;
      bytes += chunk.length;
      if (bytes - collectedAt >= 2 * 1024 * 1024) {
        collectedAt = bytes;
        collectGarbage();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    }
    return { lines, growthMb: (peak - heapBefore) / 1024 / 1024 };
  };

  it('streams 300,000 rows with memory that does not grow with the export', async () => {
    const start = T - 20 * MIN;
    // A tenth of the rows first: the heap's growth must not scale with the export's size.
    const small = await streamed(start, start + MIN);
    assert.equal(small.lines, ROWS / 10 + 1);
    const all = await streamed(T - 30 * MIN, T);
    assert.equal(all.lines, ROWS + 1, 'a header and every row');
    const growth = `the heap grew by ${all.growthMb.toFixed(1)} MB for ${ROWS} rows, ${small.growthMb.toFixed(1)} MB for ${ROWS / 10}`;
    // 35 MB of CSV in all (a kept row is ~120 bytes of CSV, more as a JS string); only a few
    // reads and the socket's buffer are held at a time.
    assert.ok(all.growthMb < 16, growth);
    assert.ok(all.growthMb < small.growthMb + 6, growth);
  });

  it('stops reading the database when the client goes away', async () => {
    const before = await pagesRead();
    const controller = new AbortController();
    const res = await fetch(`${base}/api/v1/export.csv?service=bulk&from=${T - 30 * MIN}&to=${T}`, {
      headers: { authorization: `Bearer ${TEST_READ_TOKEN}` },
      signal: controller.signal,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await reader.cancel().catch(() => undefined);
    let settled = -1;
    await waitFor('the export to stop reading', () => {
      void pagesRead().then((n) => (settled = n));
      return settled >= 0;
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const afterAbort = await pagesRead();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await pagesRead(), afterAbort, 'no page read after the client left');
    assert.ok(afterAbort - before < ROWS / 5000, `read ${afterAbort - before} of ${ROWS / 5000} pages`);
  });
});

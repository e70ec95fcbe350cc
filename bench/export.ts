/**
 * `npm run bench:export`: one million events exported as CSV over HTTP by the real
 * collector (a separate process reads the download, as a browser would), with rows/s
 * and the collector's peak RSS growth; in the same run, the ceiling (the same rows read
 * and formatted by the same code with no HTTP) and the export built fully in memory
 * first (what a naive implementation does), with the ratios.
 * Goals: at least 150,000 rows/s over HTTP; peak RSS growth under 64 MB.
 *
 *   npm run bench:export
 *   BENCH_EVENTS=200000 npm run bench:export
 */
import { fork } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { pumpEventsCsv } from '../server/src/export/export-csv.js';
import { buildApp } from '../server/src/build-app.js';
import { loadConfig } from '../server/src/plugins/config.js';
import { parseFilters } from '../server/src/query/filters.js';
import { storedEvent } from '../server/test/helpers/stored-event.js';
import { createTestDatabase } from '../server/test/helpers/test-database.js';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const READ_TOKEN = 'cw_bench_read_token_0123456789';
const REGIONS = ['eu-west', 'us-east', 'ap-south'];

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);

/** Samples the process's RSS every 20 ms while `work` runs; resolves with the work's result and the peak growth. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}

/** The download, in another process: rows/s as the client sees them. */
function download(url: string): Promise<{ bytes: number; lines: number; ms: number }> {
  const child = fork(fileURLToPath(new URL('./export-client.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.on('message', (msg: { type: string; bytes?: number; lines?: number; ms?: number; message?: string }) => {
      if (msg.type === 'done') {
        child.kill();
        resolve({ bytes: msg.bytes ?? 0, lines: msg.lines ?? 0, ms: msg.ms ?? 1 });
      } else if (msg.type === 'error') {
        child.kill();
        reject(new Error(msg.message));
      }
    });
    child.send({ url, token: READ_TOKEN });
  });
}

async function main(): Promise<void> {
  log(`bench:export  ${fmt(TOTAL)} events as CSV`);
  const db = await createTestDatabase();
  const app = await buildApp({ config: loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'warn', DASHBOARD_DIR: '', CLOSEWATCH_READ_TOKEN: READ_TOKEN }) });
  await app.ready();
  await app.db.keys.ensure(READ_TOKEN, 'bench', 'read');
  try {
    const end = Date.now() - 60_000;
    const start = end - 24 * 3_600_000;
    for (let i = 0; i < TOTAL; i += 10_000) {
      const batch = Array.from({ length: Math.min(10_000, TOTAL - i) }, (_, k) => {
        const n = i + k;
        return storedEvent({
          eventId: `ev-${n}`,
          ts: start + Math.floor((n / TOTAL) * (end - start)),
          service: `svc-${n % 7}`,
          code: n % 10 === 0 ? 1006 : n % 37 === 0 ? 1011 : 1000,
          reason: n % 3 === 0 ? '' : n % 50 === 0 ? `handler failed, retry "later" ${n}` : `session ${n} ended`,
          reasonTemplate: n % 3 === 0 ? '' : 'session {n} ended',
          labels: { region: REGIONS[n % 3] as string },
          durationMs: n % 600_000,
        });
      });
      await app.db.writer.write(batch);
      if ((i / 10_000) % 20 === 0) log(`  ... ${fmt(i + batch.length)} stored`);
    }
    const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/api/v1/export.csv?from=${start}&to=${end + 1}`;
    const query = parseFilters({ from: String(start), to: String(end + 1) });

    log('HTTP export (client in another process) ...');
    const http = await peakRss(() => download(url));
    log('ceiling: the same rows read and formatted by the same code, no HTTP ...');
    const ceiling = await peakRss(async () => {
      let bytes = 0;
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          done();
        },
      });
      const t0 = performance.now();
      await pumpEventsCsv(app.db.events, query, sink, false);
      return { bytes, ms: performance.now() - t0 };
    });
    log('naive: the whole export built in memory first, then sent ...');
    const naive = await peakRss(async () => {
      const parts: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          parts.push(chunk.toString());
          done();
        },
      });
      const t0 = performance.now();
      await pumpEventsCsv(app.db.events, query, sink, false);
      const whole = parts.join('');
      return { bytes: Buffer.byteLength(whole), ms: performance.now() - t0 };
    });

    const rate = (ms: number): number => (TOTAL * 1000) / ms;
    log('');
    log(`rows in the download            ${fmt(http.result.lines - 1)} (${mb(http.result.bytes)} MB of CSV)`);
    log(`HTTP export                     ${fmt(rate(http.result.ms))} rows/s; collector peak RSS growth ${mb(http.growth)} MB (goals: >= 150,000 rows/s, < 64 MB)`);
    log(`ceiling (read + format, no HTTP) ${fmt(rate(ceiling.result.ms))} rows/s; ratio HTTP / ceiling ${((rate(http.result.ms) / rate(ceiling.result.ms)) * 100).toFixed(0)} %`);
    log(`naive (built in memory first)   ${fmt(rate(naive.result.ms))} rows/s; peak RSS growth ${mb(naive.growth)} MB (${(naive.growth / Math.max(1, http.growth)).toFixed(1)}x the streamed export's)`);
    log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
    if (http.result.lines - 1 !== TOTAL) throw new Error(`expected ${TOTAL} rows, the download had ${http.result.lines - 1}`);
  } finally {
    await app.close();
    db.cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:export failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

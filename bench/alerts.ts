/**
 * `npm run bench:alerts`: one alert evaluation cycle with 200 rules over the 50 services
 * of bench:query's data set (10 million events unless BENCH_EVENTS says otherwise), and
 * its CPU share at the default interval. Goals: a cycle under 1 s, and under 5% of one
 * core at ALERT_EVAL_INTERVAL_MS (15 s). In the same run, the baseline: the same rules
 * evaluated one query per rule (no shared read), to show what sharing saves.
 *
 *   npm run bench:alerts
 *   BENCH_DB=/tmp/cw-bench.db npm run bench:alerts     reuse bench:query's filled file
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { evaluate } from '../server/src/alerts/detect.js';
import { evaluationWindows, readRuleMinutes, seriesAt } from '../server/src/alerts/rule-data.js';
import { withRuleDefaults, type RuleInput } from '../server/src/alerts/rule.js';
import { toFields } from '../server/src/alerts/rule-codec.js';
import { buildApp } from '../server/src/build-app.js';
import { loadConfig } from '../server/src/plugins/config.js';
import { benchDatabase, SERVICES } from './dataset.js';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const RULES = 200;
const CYCLES = 5;
const INTERVAL_MS = 15_000;

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** 200 rules of every kind: per service, per code and category, a few with route or label filters. */
function rules(): RuleInput[] {
  const out: RuleInput[] = [];
  const services = SERVICES.map((s) => s.name);
  for (let i = 0; out.length < RULES; i += 1) {
    const service = services[i % services.length] as string;
    switch (i % 8) {
      case 0:
        out.push({ name: `1011 spike ${i}`, selector: { codes: [1011], service }, condition: { type: 'anomaly', zScore: 3.5, minCount: 5, minRatio: 0.02 } });
        break;
      case 1:
        out.push({ name: `1013 spike ${i}`, selector: { codes: [1013] }, condition: { type: 'anomaly', zScore: 4, minCount: 5, minRatio: 0.01 } });
        break;
      case 2:
        out.push({ name: `abnormal share ${i}`, selector: { category: 'abnormal', service }, condition: { type: 'ratio', above: 0.2, windowMinutes: 5, minCount: 10 } });
        break;
      case 3:
        out.push({ name: `1008 rate ${i}`, selector: { codes: [1008, 4001] }, condition: { type: 'threshold', measure: 'rate', windowMinutes: 5, above: 100 } });
        break;
      case 4:
        out.push({ name: `server errors ${i}`, selector: { category: 'server-error' }, condition: { type: 'threshold', measure: 'count', windowMinutes: 1, above: 500 }, groupBy: 'none' });
        break;
      case 5:
        out.push({ name: `route 1006 ${i}`, selector: { codes: [1006], service: 'chat-gateway' }, condition: { type: 'ratio', above: 0.3, windowMinutes: 10, minCount: 20 }, groupBy: 'route' });
        break;
      case 6:
        out.push({ name: `eu 1011 ${i}`, selector: { codes: [1011], label: { key: 'region', value: 'eu-west' } }, condition: { type: 'threshold', measure: 'count', windowMinutes: 5, above: 1000 } });
        break;
      default:
        out.push({ name: `going away ${i}`, selector: { category: 'going-away', service }, condition: { type: 'anomaly', zScore: 5, minCount: 50, minRatio: 0.3 } });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const keep = process.env.BENCH_DB;
  const dir = keep ? null : mkdtempSync(join(tmpdir(), 'closewatch-bench-'));
  const path = keep ?? join(dir as string, 'bench.db');
  await benchDatabase(path, TOTAL);
  const app = await buildApp({ config: loadConfig({ DATABASE_URL: `file:${path}`, LOG_LEVEL: 'silent', DASHBOARD_DIR: '', ALERT_EVAL_INTERVAL_MS: '0' }) });
  await app.ready();
  try {
    const store = app.db.alerts;
    for (const r of await store.listRules()) await store.deleteRule(r.id);
    for (const input of rules()) await store.createRule(toFields(withRuleDefaults(input)));
    const ruleCount = (await store.listRules()).length;
    // The data ends when the fill ran; evaluate at its last minute so the rules see traffic.
    const now = (await app.db.alertSeries.lastMinute()) + 30_000;
    log(`bench:alerts  ${ruleCount} rules over ${SERVICES.length} services; evaluating at ${new Date(now).toISOString()} (the data's last minute)`);

    const times: number[] = [];
    const cpu: number[] = [];
    let groups = 0;
    for (let i = 0; i < CYCLES; i += 1) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const report = await app.alerts.evaluator.evaluate(now + i * 1000);
      times.push(performance.now() - t0);
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1000);
      groups = report.groups;
      log(`  cycle ${i + 1}: ${times[i]?.toFixed(0)} ms wall, ${cpu[i]?.toFixed(0)} ms CPU, ${report.groups} alert groups, ${report.firing} firing`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    const cpuMedian = [...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)] as number;

    // Baseline: every rule reads its own minutes (no shared per-code read).
    const inputs = rules().map(withRuleDefaults);
    const end = Math.floor(now / 60_000) * 60_000 + 60_000;
    const windows = evaluationWindows(end);
    const historyFrom = await app.db.alertSeries.firstMinute();
    const b0 = performance.now();
    for (const rule of inputs) {
      const minutes = await readRuleMinutes(app.db.alertSeries, rule, [windows.recent, windows.yesterday]);
      for (const g of minutes.values()) evaluate(rule.condition, seriesAt(g, end, historyFrom));
    }
    const baseline = performance.now() - b0;

    log('');
    log(`one evaluation cycle             ${median.toFixed(0)} ms median of ${CYCLES} (${sorted.map((t) => t.toFixed(0)).join(', ')} ms), ${groups} groups; goal < 1000 ms`);
    log(`CPU at the default interval      ${((cpuMedian / INTERVAL_MS) * 100).toFixed(2)} % of one core (${cpuMedian.toFixed(0)} ms CPU every ${INTERVAL_MS / 1000} s); goal < 5 %`);
    log(`baseline: one read per rule      ${baseline.toFixed(0)} ms (ratio ${(baseline / median).toFixed(1)}x the shared-read cycle)`);
    log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
  } finally {
    await app.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:alerts failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

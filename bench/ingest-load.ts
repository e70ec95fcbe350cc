/**
 * The load generator of `npm run bench:ingest`, run as a separate process so the
 * collector's process does only collector work. It sends batches of realistic close
 * events over keep-alive HTTP on several concurrent connections and reports the
 * acknowledgement latency of every request to its parent.
 */
import { Agent, request } from 'node:http';

interface LoadSpec {
  url: string;
  key: string;
  totalEvents: number;
  batchSize: number;
  connections: number;
  runId: string;
  /** Batch numbers start here (ids stay unique across phases of one run). */
  firstBatch: number;
  /** While sending, one client repeats this read (path and read token), one request at a time. */
  readLoad?: { path: string; token: string };
}

export interface ReadReport {
  reads: number;
  latencies: number[];
  statuses: Record<string, number>;
}

// A realistic mix: most closes are 1000/1001; the code decides who closed and which
// reasons appear; each service has its own routes.
const MIX: ReadonlyArray<{ weight: number; code: number | null; initiator: string; clean: boolean; reasons: readonly string[] }> = [
  { weight: 40, code: 1000, initiator: 'client', clean: true, reasons: ['', 'bye'] },
  { weight: 10, code: 1000, initiator: 'server', clean: true, reasons: ['done'] },
  { weight: 20, code: 1001, initiator: 'client', clean: true, reasons: ['', 'client navigated away'] },
  { weight: 5, code: 1001, initiator: 'server', clean: true, reasons: ['server shutting down'] },
  { weight: 10, code: 1006, initiator: 'unknown', clean: false, reasons: [''] },
  { weight: 3, code: 1008, initiator: 'server', clean: true, reasons: ['token expired', 'user 8812 banned', 'user 17 banned'] },
  { weight: 1, code: 1009, initiator: 'server', clean: true, reasons: ['message too big'] },
  { weight: 2, code: 1011, initiator: 'server', clean: true, reasons: ['internal error', 'handler failed: session 3f2a9c1b7e4d'] },
  { weight: 2, code: 1012, initiator: 'server', clean: true, reasons: ['server restarting'] },
  { weight: 2, code: 1013, initiator: 'server', clean: true, reasons: ['overloaded, retry later'] },
  { weight: 4, code: 4000, initiator: 'server', clean: true, reasons: ['room 42 closed', 'room 7 closed'] },
  { weight: 1, code: null, initiator: 'client', clean: true, reasons: [''] },
];
const TOTAL_WEIGHT = MIX.reduce((sum, m) => sum + m.weight, 0);
/**
 * Distinct clients of the load (BENCH_CLIENTS, default 1,000,000: at 13k events/s each
 * client closes about every 77 s). Fewer clients close more often: each stored opening
 * then answers more of its client's reconnect-advising closes of the last 10 minutes.
 */
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000_000);
const AGENTS = ['Chrome 131', 'Firefox 133', 'okhttp 4', 'ws 8'] as const;
const SERVICES: ReadonlyArray<{ name: string; routes: readonly string[] }> = [
  { name: 'chat', routes: ['/ws', '/ws/rooms'] },
  { name: 'feed', routes: ['/live'] },
  { name: 'presence', routes: ['/ws/presence'] },
  { name: 'trading', routes: ['/stream/prices', '/stream/orders'] },
];

/**
 * One batch, made before the clock starts: the load generator shares the machine's cores
 * with the collectors, so it does as little as it can while they are measured. Each
 * event is kept as JSON without its id and timestamp; `batchJson` adds those at send
 * time, so timestamps and ids still advance like live traffic.
 */
interface PreparedBatch {
  /** How long before the send time each event closed (ms). */
  ages: number[];
  /** Each event's id after its millisecond prefix. */
  idSuffixes: string[];
  /** Each event's other fields as JSON: `,"code":...}`. */
  rest: string[];
}

function prepareBatch(spec: LoadSpec, batchNo: number): PreparedBatch {
  let seed = batchNo + 1;
  const random = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const batch: PreparedBatch = { ages: [], idSuffixes: [], rest: [] };
  for (let i = 0; i < spec.batchSize; i += 1) {
    let roll = random() * TOTAL_WEIGHT;
    const kind = MIX.find((m) => (roll -= m.weight) < 0) ?? (MIX[0] as (typeof MIX)[number]);
    const service = SERVICES[Math.floor(random() * SERVICES.length)] as (typeof SERVICES)[number];
    batch.ages.push(Math.floor(random() * 3000));
    // Time-ordered, like the SDK's ids: a millisecond prefix keeps the idempotency index append-only.
    batch.idSuffixes.push(`-${Math.floor(random() * 2 ** 32).toString(16)}-${spec.runId}-${batchNo}-${i}`);
    const fields = JSON.stringify({
      code: kind.code,
      reason: kind.reasons[Math.floor(random() * kind.reasons.length)],
      wasClean: kind.clean,
      initiator: kind.initiator,
      service: service.name,
      instance: `${service.name}-${Math.floor(random() * 3)}`,
      route: service.routes[Math.floor(random() * service.routes.length)],
      durationMs: Math.floor(random() * 300_000),
      messagesIn: Math.floor(random() * 100),
      messagesOut: Math.floor(random() * 100),
      bytesIn: Math.floor(random() * 50_000),
      bytesOut: Math.floor(random() * 50_000),
      labels: { region: random() < 0.5 ? 'eu-west' : 'us-east' },
      // As the server SDK sends by default: each stored close is matched as a reconnect.
      clientKey: `client-${Math.floor(random() * CLIENTS)}`,
      clientAgent: AGENTS[Math.floor(random() * AGENTS.length)],
    });
    batch.rest.push(`,${fields.slice(1)}`);
  }
  return batch;
}

/** A prepared batch as the request body, its events closed just before `now`. */
function batchJson(batch: PreparedBatch, now: number): string {
  const events: string[] = [];
  for (let i = 0; i < batch.rest.length; i += 1) {
    const ts = now - (batch.ages[i] as number);
    events.push(`{"id":"${ts.toString(16).padStart(12, '0')}${batch.idSuffixes[i] as string}","ts":${ts}${batch.rest[i] as string}`);
  }
  return `{"events":[${events.join(',')}]}`;
}

function send(agent: Agent, spec: LoadSpec, body: Buffer): Promise<number> {
  const url = new URL('/api/v1/events', spec.url);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      url,
      { method: 'POST', agent, headers: { authorization: `Bearer ${spec.key}`, 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString()}`));
          const report = JSON.parse(Buffer.concat(chunks).toString()) as { accepted: number };
          if (report.accepted !== spec.batchSize) return reject(new Error(`accepted ${report.accepted} of ${spec.batchSize}`));
          resolve(Number(process.hrtime.bigint() - started) / 1e6);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Repeats one GET until `done()`; every answer's latency and status is kept. */
async function readLoop(spec: LoadSpec, read: { path: string; token: string }, done: () => boolean): Promise<ReadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const report: ReadReport = { reads: 0, latencies: [], statuses: {} };
  while (!done()) {
    const started = process.hrtime.bigint();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL(read.path, spec.url), { agent, headers: { authorization: `Bearer ${read.token}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    report.reads += 1;
    report.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    report.statuses[status] = (report.statuses[status] ?? 0) + 1;
  }
  agent.destroy();
  return report;
}

async function run(spec: LoadSpec): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const batches = Math.ceil(spec.totalEvents / spec.batchSize);
  let next = 0;
  let finished = false;
  const prepared = Array.from({ length: batches }, (_, n) => prepareBatch(spec, spec.firstBatch + n));
  const reading = spec.readLoad ? readLoop(spec, spec.readLoad, () => finished) : Promise.resolve(null);
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const worker = async (): Promise<void> => {
    while (next < batches) {
      const n = next++;
      const body = Buffer.from(batchJson(prepared[n] as PreparedBatch, Date.now()));
      latencies.push(await send(agent, spec, body));
      if (latencies.length % 100 === 0) process.send?.({ type: 'progress', acknowledged: latencies.length * spec.batchSize });
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, worker));
  const elapsedMs = Date.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  finished = true;
  const reads = await reading;
  process.send?.({ type: 'done', latencies, elapsedMs, cpuMicros: cpu.user + cpu.system, reads });
  agent.destroy();
}

process.once('message', (spec: LoadSpec) => {
  run(spec).catch((error: unknown) => {
    process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
});

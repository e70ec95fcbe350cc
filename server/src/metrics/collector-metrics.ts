import { describeCloseCode, STANDARD_CODES } from '@closewatch/sdk/close-codes';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Services that get their own `service` label on close counters; the rest are counted as `other`. */
export const MAX_SERVICE_LABELS = 100;

const NAMED_CODES = new Set<number>(STANDARD_CODES);

const RANGE_NAMES: Readonly<Record<string, string>> = {
  '4xxx': 'Private (application)',
  '3xxx': 'Registered (library/framework)',
  unassigned: 'Reserved for the protocol',
  invalid: 'Invalid',
};

/**
 * A close code as metric labels: the registry's named codes as themselves with their
 * short name (`1011`, `Error`), the rest grouped by range, so a client inventing codes
 * cannot make series without bound. `name` follows `code` one to one, so it adds no
 * series; it is there so a chart's legend can say what a code is.
 */
export function codeLabels(code: number | null): { code: string; name: string } {
  if (code === null) return { code: 'none', name: describeCloseCode(null).shortName };
  if (NAMED_CODES.has(code)) return { code: String(code), name: describeCloseCode(code).shortName };
  const range = code >= 4000 && code <= 4999 ? '4xxx' : code >= 3000 && code <= 3999 ? '3xxx' : code >= 1016 && code <= 2999 ? 'unassigned' : 'invalid';
  return { code: range, name: RANGE_NAMES[range] ?? range };
}

/** What the collector counts about itself, in one registry per app (tests run several). */
export class CollectorMetrics {
  readonly registry = new Registry();
  private readonly services = new Set<string>();

  readonly eventsReceived = new Counter({ name: 'closewatch_ingest_events_received_total', help: 'Events in ingest requests that reached validation.', registers: [this.registry] });
  readonly eventsAccepted = new Counter({ name: 'closewatch_ingest_events_accepted_total', help: 'Events stored.', registers: [this.registry] });
  readonly eventsDuplicate = new Counter({ name: 'closewatch_ingest_events_duplicate_total', help: 'Events whose id was already stored (retries).', registers: [this.registry] });
  readonly opensAccepted = new Counter({ name: 'closewatch_ingest_opens_accepted_total', help: 'Open notices stored (connections reported when they opened).', registers: [this.registry] });
  readonly opensDuplicate = new Counter({ name: 'closewatch_ingest_opens_duplicate_total', help: 'Open notices whose id was already stored (retries).', registers: [this.registry] });
  readonly opensRejected = new Counter({ name: 'closewatch_ingest_opens_rejected_total', help: 'Open notices rejected by validation.', registers: [this.registry] });
  readonly eventsRejected = new Counter({
    name: 'closewatch_ingest_events_rejected_total',
    help: 'Events rejected by validation, by the field at fault.',
    labelNames: ['field'],
    registers: [this.registry],
  });
  readonly requestsRefused = new Counter({
    name: 'closewatch_ingest_requests_refused_total',
    help: 'Ingest requests refused as a whole, by status (401, 403, 413, 415, 429, 503...).',
    labelNames: ['status'],
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'closewatch_ingest_batch_events',
    help: 'Events per ingest request.',
    buckets: [1, 10, 50, 100, 500, 1000, 5000, 10_000],
    registers: [this.registry],
  });
  readonly commitSeconds = new Histogram({
    name: 'closewatch_storage_commit_seconds',
    help: 'From handing a batch to the writer to its commit (the acknowledgement waits this long).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly droppedBySdks = new Counter({ name: 'closewatch_sdk_events_dropped_total', help: 'Events SDKs reported dropping (queue full).', registers: [this.registry] });
  readonly routesCapped = new Counter({
    name: 'closewatch_ingest_routes_capped_total',
    help: 'Events stored with route (other): their service had MAX_ROUTES_PER_SERVICE_HOUR routes that hour.',
    registers: [this.registry],
  });
  readonly closes = new Counter({
    name: 'closewatch_closes_total',
    help: `Closes stored, by service (beyond ${MAX_SERVICE_LABELS} services: other) and code (named codes; others by range).`,
    labelNames: ['service', 'code', 'name'],
    registers: [this.registry],
  });
  readonly alertEvaluations = new Counter({ name: 'closewatch_alert_evaluations_total', help: 'Alert evaluation cycles run.', registers: [this.registry] });
  readonly alertEvaluationSeconds = new Histogram({
    name: 'closewatch_alert_evaluation_seconds',
    help: 'Duration of one alert evaluation cycle.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly alertsFiring = new Gauge({ name: 'closewatch_alerts_firing', help: 'Alert instances firing after the last evaluation.', registers: [this.registry] });
  readonly notifications = new Counter({
    name: 'closewatch_notifications_total',
    help: 'Notification attempts, by target kind and result (delivered, retry, failed).',
    labelNames: ['kind', 'result'],
    registers: [this.registry],
  });
  readonly exportRows = new Counter({ name: 'closewatch_export_rows_total', help: 'Rows written by CSV exports of events.', registers: [this.registry] });
  readonly exportPages = new Counter({ name: 'closewatch_export_pages_read_total', help: 'Pages of events read from the database for CSV exports.', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'closewatch_' });
  }

  /** A gauge read when scraped. */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** A counter whose value is kept elsewhere (a monotonic total), read when scraped. */
  counterFrom(name: string, help: string, read: () => number): void {
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }

  /**
   * Counts stored closes with bounded labels: once per service and code of the batch
   * (a counter's labels are hashed at each increment).
   */
  countCloses(closes: Iterable<{ service: string; code: number | null }>): void {
    const counts = new Map<string, { service: string; code: number | null; n: number }>();
    for (const { service, code } of closes) {
      const id = `${code}\u0000${service}`;
      const entry = counts.get(id);
      if (entry === undefined) counts.set(id, { service, code, n: 1 });
      else entry.n += 1;
    }
    for (const { service, code, n } of counts.values()) {
      let label = service;
      if (!this.services.has(service)) {
        if (this.services.size < MAX_SERVICE_LABELS) this.services.add(service);
        else label = 'other';
      }
      this.closes.inc({ service: label, ...codeLabels(code) }, n);
    }
  }
}

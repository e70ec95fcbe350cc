import type { AlertStore, DeliveryRow, TargetRow } from '../storage/alerts/alert-store.js';
import { alertmanagerAlerts, slackMessage, type AlertNotification } from './notification.js';

export { TARGET_KINDS, type TargetKind } from './api-schemas.js';

export interface NotifierOptions {
  clock: () => number;
  /** Longest wait for a receiver's answer, in ms. */
  timeoutMs: number;
  /** Attempts before a notification is given up. */
  maxAttempts: number;
  /** How often a firing alert is re-sent to Alertmanager, in ms (it resolves alerts it stops hearing about). */
  alertmanagerResendMs: number;
  fetch?: typeof fetch;
  onFailure?: (message: string) => void;
  /** Every attempt's outcome, for the metrics. */
  onAttempt?: (kind: string, result: 'delivered' | 'retry' | 'failed') => void;
}

/** The outcome of one HTTP attempt. */
export interface AttemptResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
  /** A 4xx other than 408 and 429: retrying the same request will not help. */
  permanent: boolean;
}

/** Wait before attempt n+1 after n failed: 2 s, 4 s, 8 s ... at most 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(300_000, 2000 * 2 ** Math.max(0, attempts - 1));
}

/** What a target receives for a notification, and where. */
export function renderFor(target: Pick<TargetRow, 'kind' | 'url'>, notification: AlertNotification): { url: string; body: unknown } {
  if (target.kind === 'slack') return { url: target.url, body: slackMessage(notification) };
  if (target.kind === 'alertmanager') return { url: `${target.url.replace(/\/$/, '')}/api/v2/alerts`, body: alertmanagerAlerts(notification, notification.dashboardUrl) };
  return { url: target.url, body: notification };
}

/** Beyond the receiver's timeout, time for the attempt of a test notification to be recorded. */
const TEST_ATTEMPT_MARGIN_MS = 5_000;

/**
 * Sends the notification outbox: each entry to its target, retried with backoff until
 * the receiver answers 2xx or `maxAttempts` is reached, every attempt logged. While an
 * episode fires, Alertmanager targets also get the alert again every few seconds, as
 * Alertmanager expects.
 */
export class Notifier {
  private readonly resentAt = new Map<string, number>();
  private running = false;

  constructor(
    private readonly store: AlertStore,
    private readonly options: NotifierOptions,
  ) {}

  /** Sends what is due; overlapping calls do nothing (a slow receiver must not pile up sends). */
  async run(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const now = this.options.clock();
      const due = await this.store.due(now, 50);
      const targets = new Map((await this.store.targets()).map((t) => [t.id, t]));
      await Promise.all(due.map((d) => this.deliver(d, targets.get(d.targetId))));
      return due.length;
    } finally {
      this.running = false;
    }
  }

  /** Re-sends firing alerts to Alertmanager targets: `firing` pairs each open, notified episode with its payload. */
  async resendToAlertmanager(firing: ReadonlyArray<{ episodeId: string; targetIds: readonly string[] | null; notification: Omit<AlertNotification, 'id'> }>): Promise<void> {
    const now = this.options.clock();
    const targets = (await this.store.targets()).filter((t) => t.enabled && t.kind === 'alertmanager');
    const live = new Set<string>();
    for (const { episodeId, targetIds, notification } of firing) {
      for (const target of targets) {
        if (targetIds !== null && !targetIds.includes(target.id)) continue;
        const key = `${episodeId}\u0000${target.id}`;
        live.add(key);
        if (now - (this.resentAt.get(key) ?? 0) < this.options.alertmanagerResendMs) continue;
        this.resentAt.set(key, now);
        const { url, body } = renderFor(target, { ...notification, id: `${episodeId}-refresh` });
        const result = await this.post(url, body);
        await this.store.logAttempt({ deliveryId: '', targetId: target.id, event: 'refresh', at: now, status: result.status, error: result.error, durationMs: result.durationMs });
        this.options.onAttempt?.(target.kind, result.ok ? 'delivered' : 'retry');
      }
    }
    for (const key of this.resentAt.keys()) if (!live.has(key)) this.resentAt.delete(key);
  }

  /** Sends a test notification to a target now, logs it, and says how it went. */
  async test(target: TargetRow, notification: AlertNotification): Promise<AttemptResult> {
    // Not due for the outbox until this attempt has had its time: run() on its timer would
    // otherwise pick the same entry up and deliver the test twice.
    const notBefore = this.options.clock() + this.options.timeoutMs + TEST_ATTEMPT_MARGIN_MS;
    const delivery = await this.store.enqueue({ targetId: target.id, episodeId: null, event: 'test', payload: JSON.stringify(notification) }, notBefore);
    return this.deliver(delivery, target);
  }

  private async deliver(delivery: DeliveryRow, target: TargetRow | undefined): Promise<AttemptResult> {
    const now = this.options.clock();
    if (target === undefined) {
      const result: AttemptResult = { ok: false, status: null, error: 'the target was deleted', durationMs: 0, permanent: true };
      await this.store.recordAttempt(delivery, { at: now, status: null, error: result.error, durationMs: 0 }, { state: 'failed', nextAttemptAt: now });
      return result;
    }
    const notification = { ...(JSON.parse(delivery.payload) as Omit<AlertNotification, 'id'>), id: delivery.id };
    const { url, body } = renderFor(target, notification);
    const result = await this.post(url, body);
    const attempts = delivery.attempts + 1;
    const next: { state: DeliveryRow['state']; nextAttemptAt: number } = result.ok
      ? { state: 'delivered', nextAttemptAt: now }
      : result.permanent || attempts >= this.options.maxAttempts
        ? { state: 'failed', nextAttemptAt: now }
        : { state: 'pending', nextAttemptAt: now + retryDelayMs(attempts) };
    await this.store.recordAttempt(delivery, { at: now, status: result.status, error: result.error, durationMs: result.durationMs }, next);
    this.options.onAttempt?.(target.kind, next.state === 'pending' ? 'retry' : next.state);
    if (next.state === 'failed') this.options.onFailure?.(`notification ${delivery.id} to ${target.name} given up after ${attempts} attempt(s): ${result.error ?? `HTTP ${result.status}`}`);
    return result;
  }

  private async post(url: string, body: unknown): Promise<AttemptResult> {
    const started = performance.now();
    const send = this.options.fetch ?? fetch;
    try {
      const res = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'closewatch-alerts/1' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'error',
      });
      const text = res.ok ? '' : (await res.text().catch(() => '')).slice(0, 200);
      const durationMs = performance.now() - started;
      if (res.ok) return { ok: true, status: res.status, error: null, durationMs, permanent: false };
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      return { ok: false, status: res.status, error: `HTTP ${res.status}${text === '' ? '' : `: ${text}`}`, durationMs, permanent };
    } catch (error) {
      const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return {
        ok: false,
        status: null,
        error: timedOut ? `no answer within ${this.options.timeoutMs} ms` : `could not reach ${new URL(url).host}: ${cause}`,
        durationMs: performance.now() - started,
        permanent: false,
      };
    }
  }
}

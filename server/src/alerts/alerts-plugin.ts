import fp from 'fastify-plugin';
import { AlertEvaluator, episodeNotification, type CycleReport } from './evaluator.js';
import { parseGroupKey } from './group.js';
import { Notifier } from './notifier.js';
import { BUILTIN_RULES, withRuleDefaults } from './rule.js';
import { toFields, toRule } from './rule-codec.js';

/** How often the outbox is looked at for notifications due (new ones and retries). */
const NOTIFY_POLL_MS = 1000;

export interface Alerts {
  evaluator: AlertEvaluator;
  notifier: Notifier;
  /** One evaluation, then Alertmanager re-sends and the outbox: what the timer does, for tests and the UI. */
  cycle(now?: number): Promise<CycleReport>;
  /** The collector's public base URL (links in notifications). */
  publicUrl: string;
  /** The clock alerting runs on (tests move it). */
  clock: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    alerts: Alerts;
  }
}

export interface AlertsPluginOptions {
  clock?: () => number;
}

/**
 * Alerting: the built-in rules on the first start, the evaluator on its interval, the
 * notification outbox, and alert changes on the live feed.
 */
export default fp<AlertsPluginOptions>(
  async (fastify, opts) => {
    const { config } = fastify;
    const clock = opts.clock ?? Date.now;
    const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
    const store = fastify.db.alerts;
    const made = await store.seedRules(BUILTIN_RULES.map((r) => ({ builtin: r.builtin, fields: toFields(withRuleDefaults(r.input)) })));
    if (made > 0) fastify.log.info({ rules: made }, 'created the built-in alert rules (Error spike, Again spike)');

    const evaluator = new AlertEvaluator(fastify.db, {
      clock,
      ingestLagMs: config.ALERT_INGEST_LAG_MS,
      publicUrl,
      codeNames: () => fastify.codeNames.map,
      onEvent: (event) => {
        fastify.db.bus.publish(event).catch((error: unknown) => fastify.log.error({ err: error }, 'could not publish an alert change'));
        fastify.log.info({ alert: event }, `alert ${event.change}: ${event.ruleName}`);
      },
      onRuleSkipped: (ruleId, reason) => fastify.log.warn({ ruleId }, `alert rule skipped: ${reason}`),
    });
    const notifier = new Notifier(store, {
      clock,
      timeoutMs: config.NOTIFY_TIMEOUT_MS,
      maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
      alertmanagerResendMs: config.ALERTMANAGER_RESEND_MS,
      onFailure: (message) => fastify.log.warn(message),
      onAttempt: (kind, result) => fastify.metrics.notifications.inc({ kind, result }),
    });
    const evaluate = async (now: number): Promise<CycleReport> => {
      const timer = fastify.metrics.alertEvaluationSeconds.startTimer();
      const report = await evaluator.evaluate(now);
      timer();
      fastify.metrics.alertEvaluations.inc();
      fastify.metrics.alertsFiring.set(report.firing);
      return report;
    };

    const resend = async (now: number): Promise<void> => {
      const rules = new Map((await store.listRules()).map((r) => [r.id, toRule(r)]));
      const firing = [];
      for (const episode of await store.openEpisodes()) {
        const rule = rules.get(episode.ruleId);
        if (rule === undefined || rule === null || !episode.notified) continue;
        firing.push({
          episodeId: episode.id,
          targetIds: rule.targetIds,
          notification: episodeNotification(rule, episode, parseGroupKey(episode.groupKey), 'firing', publicUrl, now, fastify.codeNames.map),
        });
      }
      await notifier.resendToAlertmanager(firing);
    };

    const cycle = async (now: number = clock()): Promise<CycleReport> => {
      const report = await evaluate(now);
      await resend(now);
      await notifier.run();
      return report;
    };
    fastify.decorate('alerts', { evaluator, notifier, cycle, publicUrl, clock });

    let closing = false;
    const timers: NodeJS.Timeout[] = [];
    /** Rounds still running: the stop waits for them, so their alert state and delivery log are saved. */
    const running = new Set<Promise<unknown>>();
    const every = (ms: number, work: () => Promise<unknown>, what: string): void => {
      // A chain of timeouts, not an interval: a slow round never overlaps the next.
      const tick = (): void => {
        if (closing) return;
        const round = work().catch((error: unknown) => fastify.log.error({ err: error }, `${what} failed`));
        running.add(round);
        void round.finally(() => {
          running.delete(round);
          if (closing) return;
          const timer = setTimeout(tick, ms);
          timer.unref();
          timers.push(timer);
          if (timers.length > 4) timers.splice(0, timers.length - 4);
        });
      };
      const first = setTimeout(tick, ms);
      first.unref();
      timers.push(first);
    };
    fastify.addHook('onReady', async () => {
      if (config.ALERT_EVAL_INTERVAL_MS > 0) {
        // With several collectors on one database, only the leader evaluates and notifies;
        // the others ask again each round and take over within one interval of its end.
        every(config.ALERT_EVAL_INTERVAL_MS, async () => {
          if (!(await fastify.db.leader.holds())) return;
          const report = await evaluate(clock());
          fastify.log.debug({ report }, 'alert evaluation');
          await resend(clock());
        }, 'alert evaluation');
        every(NOTIFY_POLL_MS, async () => {
          if (await fastify.db.leader.holds()) await notifier.run();
        }, 'notification delivery');
      }
    });
    // Before the database closes (onClose runs in reverse order of registration).
    fastify.addHook('onClose', async () => {
      closing = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all(running);
    });
  },
  { name: 'alerts', dependencies: ['config', 'database', 'live', 'metrics', 'code-names'] },
);

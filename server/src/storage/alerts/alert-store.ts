import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../sqlite/prisma-client.js';
import { isUniqueViolation } from '../errors.js';

/** An id with a readable prefix (`rule_3f2a9c1b7e4d`). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

/** A rule row: JSON fields as text (the alerts feature parses and validates them). */
export interface RuleRow {
  id: string;
  name: string;
  enabled: boolean;
  selector: string;
  condition: string;
  forMs: number;
  keepFiringForMs: number;
  severity: string;
  groupBy: string;
  repeatIntervalMs: number | null;
  targetIds: string | null;
  builtin: string | null;
  createdAt: number;
  updatedAt: number;
}

export type RuleFields = Omit<RuleRow, 'id' | 'builtin' | 'createdAt' | 'updatedAt'>;

export interface InstanceRow {
  ruleId: string;
  groupKey: string;
  state: 'pending' | 'firing';
  pendingSince: number;
  lastTrueAt: number;
  episodeId: string | null;
}

export interface EpisodeRow {
  id: string;
  ruleId: string;
  groupKey: string;
  pendingSince: number;
  startedAt: number;
  endedAt: number | null;
  peakValue: number;
  baseline: string;
  topReasons: string;
  topRoutes: string;
  ruleSnapshot: string;
  notified: boolean;
  lastNotifiedAt: number | null;
}

export interface SilenceRow {
  id: string;
  matcher: string;
  startsAt: number;
  endsAt: number;
  comment: string;
  createdBy: string;
  createdAt: number;
}

export interface TargetRow {
  id: string;
  name: string;
  kind: string;
  url: string;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface DeliveryRow {
  id: string;
  targetId: string;
  episodeId: string | null;
  event: string;
  payload: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
}

export interface AttemptRow {
  id: number;
  deliveryId: string;
  targetId: string;
  event: string;
  at: number;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** A notification to put in the outbox. */
export type NewDelivery = Pick<DeliveryRow, 'targetId' | 'episodeId' | 'event' | 'payload'>;

/**
 * What one evaluation changes for one rule, written in one transaction: instance
 * states, episodes begun, updated or ended, and the notifications those cause. A
 * crash between evaluations therefore never leaves an episode without its
 * notification, nor a notification for an episode that was not stored.
 */
export interface AlertChanges {
  upsertInstances: InstanceRow[];
  deleteInstances: Array<{ ruleId: string; groupKey: string }>;
  createEpisodes: EpisodeRow[];
  updateEpisodes: Array<{ id: string } & Partial<Pick<EpisodeRow, 'endedAt' | 'peakValue' | 'notified' | 'lastNotifiedAt' | 'topReasons' | 'topRoutes'>>>;
  deliveries: NewDelivery[];
}

const num = (v: bigint | number | null): number | null => (v === null ? null : Number(v));
const big = (v: number): bigint => BigInt(Math.trunc(v));

/** Alert rules, their state and history, silences, notification targets and the outbox, through Prisma. */
export class AlertStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: () => number = Date.now,
  ) {}

  // ---------------------------------------------------------------- rules

  async listRules(): Promise<RuleRow[]> {
    const rows = await this.prisma.alertRule.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(ruleRow);
  }

  async getRule(id: string): Promise<RuleRow | null> {
    const row = await this.prisma.alertRule.findUnique({ where: { id } });
    return row === null ? null : ruleRow(row);
  }

  async createRule(fields: RuleFields, builtin: string | null = null): Promise<RuleRow> {
    const row = await this.prisma.alertRule.create({ data: { id: newId('rule'), ...fields, builtin } });
    return ruleRow(row);
  }

  async updateRule(id: string, fields: Partial<RuleFields>): Promise<RuleRow | null> {
    const found = await this.prisma.alertRule.findUnique({ where: { id } });
    if (found === null) return null;
    return ruleRow(await this.prisma.alertRule.update({ where: { id }, data: fields }));
  }

  /** Deletes a rule and its live instances (its history stays). */
  async deleteRule(id: string): Promise<boolean> {
    const [, deleted] = await this.prisma.$transaction([
      this.prisma.alertInstance.deleteMany({ where: { ruleId: id } }),
      this.prisma.alertRule.deleteMany({ where: { id } }),
    ]);
    return deleted.count === 1;
  }

  /**
   * Creates the built-in rules once per database: a rule the operator deleted is not
   * made again at the next start.
   */
  async seedRules(rules: ReadonlyArray<{ builtin: string; fields: RuleFields }>): Promise<number> {
    const seeded = await this.prisma.setting.findUnique({ where: { key: 'alert_rules_seeded' } });
    if (seeded !== null) return 0;
    let made = 0;
    for (const rule of rules) {
      const exists = await this.prisma.alertRule.findUnique({ where: { builtin: rule.builtin } });
      if (exists !== null) continue;
      try {
        await this.createRule(rule.fields, rule.builtin);
        made += 1;
      } catch (error) {
        // A collector starting at the same moment made this built-in rule first.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    await this.prisma.setting.createMany({ data: [{ key: 'alert_rules_seeded', value: new Date(this.clock()).toISOString() }] }).catch(() => undefined);
    return made;
  }

  // ---------------------------------------------------------------- state

  async listInstances(): Promise<InstanceRow[]> {
    const rows = await this.prisma.alertInstance.findMany();
    return rows.map((r) => ({
      ruleId: r.ruleId,
      groupKey: r.groupKey,
      state: r.state === 'firing' ? 'firing' : 'pending',
      pendingSince: Number(r.pendingSince),
      lastTrueAt: Number(r.lastTrueAt),
      episodeId: r.episodeId,
    }));
  }

  async apply(changes: AlertChanges): Promise<void> {
    const now = this.clock();
    const ops = [
      ...changes.deleteInstances.map((k) => this.prisma.alertInstance.deleteMany({ where: k })),
      ...changes.createEpisodes.map((e) =>
        this.prisma.alertEpisode.create({
          data: { ...e, pendingSince: big(e.pendingSince), startedAt: big(e.startedAt), endedAt: e.endedAt === null ? null : big(e.endedAt), lastNotifiedAt: e.lastNotifiedAt === null ? null : big(e.lastNotifiedAt) },
        }),
      ),
      ...changes.updateEpisodes.map(({ id, endedAt, lastNotifiedAt, ...rest }) =>
        this.prisma.alertEpisode.update({
          where: { id },
          data: {
            ...rest,
            ...(endedAt === undefined ? {} : { endedAt: endedAt === null ? null : big(endedAt) }),
            ...(lastNotifiedAt === undefined ? {} : { lastNotifiedAt: lastNotifiedAt === null ? null : big(lastNotifiedAt) }),
          },
        }),
      ),
      ...changes.upsertInstances.map((i) => {
        const data = { state: i.state, pendingSince: big(i.pendingSince), lastTrueAt: big(i.lastTrueAt), episodeId: i.episodeId };
        return this.prisma.alertInstance.upsert({
          where: { ruleId_groupKey: { ruleId: i.ruleId, groupKey: i.groupKey } },
          create: { ruleId: i.ruleId, groupKey: i.groupKey, ...data },
          update: data,
        });
      }),
      ...changes.deliveries.map((d) =>
        this.prisma.notificationDelivery.create({
          data: { id: newId('ntf'), ...d, state: 'pending', attempts: 0, nextAttemptAt: big(now), createdAt: big(now) },
        }),
      ),
    ];
    if (ops.length > 0) await this.prisma.$transaction(ops);
  }

  // ---------------------------------------------------------------- episodes

  async getEpisode(id: string): Promise<EpisodeRow | null> {
    const row = await this.prisma.alertEpisode.findUnique({ where: { id } });
    return row === null ? null : episodeRow(row);
  }

  async openEpisodes(): Promise<EpisodeRow[]> {
    const rows = await this.prisma.alertEpisode.findMany({ where: { endedAt: null }, orderBy: { startedAt: 'desc' } });
    return rows.map(episodeRow);
  }

  /** Episodes that overlap [from, to), newest first. */
  async episodes(options: { from: number; to: number; ruleId?: string; limit: number }): Promise<EpisodeRow[]> {
    const rows = await this.prisma.alertEpisode.findMany({
      where: {
        startedAt: { lt: big(options.to) },
        OR: [{ endedAt: null }, { endedAt: { gte: big(options.from) } }],
        ...(options.ruleId === undefined ? {} : { ruleId: options.ruleId }),
      },
      orderBy: [{ startedAt: 'desc' }, { id: 'asc' }],
      take: options.limit,
    });
    return rows.map(episodeRow);
  }

  // ---------------------------------------------------------------- silences

  async silences(activeAt?: number): Promise<SilenceRow[]> {
    const rows = await this.prisma.silence.findMany({
      where: activeAt === undefined ? {} : { startsAt: { lte: big(activeAt) }, endsAt: { gt: big(activeAt) } },
      orderBy: { endsAt: 'desc' },
      take: 500,
    });
    return rows.map((r) => ({ ...r, startsAt: Number(r.startsAt), endsAt: Number(r.endsAt), createdAt: Number(r.createdAt) }));
  }

  async createSilence(silence: Omit<SilenceRow, 'id' | 'createdAt'>): Promise<SilenceRow> {
    const row = await this.prisma.silence.create({
      data: { id: newId('sil'), ...silence, startsAt: big(silence.startsAt), endsAt: big(silence.endsAt), createdAt: big(this.clock()) },
    });
    return { ...row, startsAt: Number(row.startsAt), endsAt: Number(row.endsAt), createdAt: Number(row.createdAt) };
  }

  /** Ends a silence now (it stays listed as expired). */
  async expireSilence(id: string): Promise<boolean> {
    const result = await this.prisma.silence.updateMany({ where: { id, endsAt: { gt: big(this.clock()) } }, data: { endsAt: big(this.clock()) } });
    return result.count === 1;
  }

  // ---------------------------------------------------------------- targets

  async targets(): Promise<TargetRow[]> {
    const rows = await this.prisma.notificationTarget.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(targetRow);
  }

  async getTarget(id: string): Promise<TargetRow | null> {
    const row = await this.prisma.notificationTarget.findUnique({ where: { id } });
    return row === null ? null : targetRow(row);
  }

  async createTarget(fields: Pick<TargetRow, 'name' | 'kind' | 'url' | 'enabled'>): Promise<TargetRow> {
    return targetRow(await this.prisma.notificationTarget.create({ data: { id: newId('tgt'), ...fields } }));
  }

  async updateTarget(id: string, fields: Partial<Pick<TargetRow, 'name' | 'kind' | 'url' | 'enabled'>>): Promise<TargetRow | null> {
    const found = await this.prisma.notificationTarget.findUnique({ where: { id } });
    if (found === null) return null;
    return targetRow(await this.prisma.notificationTarget.update({ where: { id }, data: fields }));
  }

  /** Deletes a target; its pending notifications are given up. */
  async deleteTarget(id: string): Promise<boolean> {
    const [, deleted] = await this.prisma.$transaction([
      this.prisma.notificationDelivery.updateMany({ where: { targetId: id, state: 'pending' }, data: { state: 'failed' } }),
      this.prisma.notificationTarget.deleteMany({ where: { id } }),
    ]);
    return deleted.count === 1;
  }

  // ---------------------------------------------------------------- outbox

  /**
   * Adds one notification to the outbox, due at `notBefore` (default now). A caller that
   * sends it itself passes a later time, so the outbox does not send it a second time
   * while that first attempt is on its way.
   */
  async enqueue(delivery: NewDelivery, notBefore?: number): Promise<DeliveryRow> {
    const now = this.clock();
    const row = await this.prisma.notificationDelivery.create({
      data: { id: newId('ntf'), ...delivery, state: 'pending', attempts: 0, nextAttemptAt: big(notBefore ?? now), createdAt: big(now) },
    });
    return deliveryRow(row);
  }

  /** Pending notifications due by `now`, oldest first. */
  async due(now: number, limit: number): Promise<DeliveryRow[]> {
    const rows = await this.prisma.notificationDelivery.findMany({
      where: { state: 'pending', nextAttemptAt: { lte: big(now) } },
      orderBy: [{ nextAttemptAt: 'asc' }, { createdAt: 'asc' }],
      take: limit,
    });
    return rows.map(deliveryRow);
  }

  /** Logs one attempt and moves the notification on: delivered, retried at `nextAttemptAt`, or failed for good. */
  async recordAttempt(
    delivery: DeliveryRow,
    attempt: Omit<AttemptRow, 'id' | 'deliveryId' | 'targetId' | 'event'>,
    next: { state: DeliveryRow['state']; nextAttemptAt: number },
  ): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.notificationAttempt.create({
        data: {
          deliveryId: delivery.id,
          targetId: delivery.targetId,
          event: delivery.event,
          at: big(attempt.at),
          status: attempt.status,
          error: attempt.error,
          durationMs: Math.round(attempt.durationMs),
        },
      }),
      this.prisma.notificationDelivery.update({
        where: { id: delivery.id },
        data: { attempts: delivery.attempts + 1, state: next.state, nextAttemptAt: big(next.nextAttemptAt) },
      }),
    ]);
  }

  /** Logs an attempt that belongs to no outbox entry (Alertmanager's re-sends of a firing alert). */
  async logAttempt(attempt: Omit<AttemptRow, 'id'>): Promise<void> {
    await this.prisma.notificationAttempt.create({
      data: { ...attempt, at: big(attempt.at), durationMs: Math.round(attempt.durationMs) },
    });
  }

  /** The newest attempts to a target. */
  async attempts(targetId: string, limit: number): Promise<AttemptRow[]> {
    const rows = await this.prisma.notificationAttempt.findMany({ where: { targetId }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: limit });
    return rows.map((r) => ({ ...r, at: Number(r.at) }));
  }

  async deliveries(targetId: string, limit: number): Promise<DeliveryRow[]> {
    const rows = await this.prisma.notificationDelivery.findMany({ where: { targetId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
    return rows.map(deliveryRow);
  }
}

/** A rule as Prisma gives it: the row, with its times as Dates. */
type StoredRule = Omit<RuleRow, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };

function ruleRow(r: StoredRule): RuleRow {
  return { ...r, createdAt: r.createdAt.getTime(), updatedAt: r.updatedAt.getTime() };
}

function episodeRow(r: {
  id: string;
  ruleId: string;
  groupKey: string;
  pendingSince: bigint;
  startedAt: bigint;
  endedAt: bigint | null;
  peakValue: number;
  baseline: string;
  topReasons: string;
  topRoutes: string;
  ruleSnapshot: string;
  notified: boolean;
  lastNotifiedAt: bigint | null;
}): EpisodeRow {
  return {
    ...r,
    pendingSince: Number(r.pendingSince),
    startedAt: Number(r.startedAt),
    endedAt: num(r.endedAt),
    lastNotifiedAt: num(r.lastNotifiedAt),
  };
}

function targetRow(r: { id: string; name: string; kind: string; url: string; enabled: boolean; createdAt: Date; updatedAt: Date }): TargetRow {
  return { ...r, createdAt: r.createdAt.getTime(), updatedAt: r.updatedAt.getTime() };
}

function deliveryRow(r: {
  id: string;
  targetId: string;
  episodeId: string | null;
  event: string;
  payload: string;
  state: string;
  attempts: number;
  nextAttemptAt: bigint;
  createdAt: bigint;
}): DeliveryRow {
  return {
    ...r,
    state: r.state === 'delivered' ? 'delivered' : r.state === 'failed' ? 'failed' : 'pending',
    nextAttemptAt: Number(r.nextAttemptAt),
    createdAt: Number(r.createdAt),
  };
}

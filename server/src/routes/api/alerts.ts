import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { backtest, MAX_BACKTEST_MS } from '../../alerts/backtest.js';
import { silenced } from '../../alerts/evaluator.js';
import { parseGroupKey } from '../../alerts/group.js';
import { summarize, WEBHOOK_PAYLOAD_VERSION } from '../../alerts/notification.js';
import { ruleProblem, RuleInputSchema, RuleSchema, withRuleDefaults, type AlertRule, type RuleInput } from '../../alerts/rule.js';
import { toFields, toRule } from '../../alerts/rule-codec.js';
import {
  BacktestRequestSchema,
  BacktestResultSchema,
  SilenceInputSchema,
  TargetInputSchema,
  TargetTestResultSchema,
} from '../../alerts/api-schemas.js';
import {
  ActiveAlertSchema,
  AttemptSchema,
  attemptView,
  EpisodeSchema,
  episodeView,
  SilenceSchema,
  silenceView,
  TargetSchema,
  targetView,
} from '../../alerts/views.js';
import { ErrorBodySchema, HttpError } from '../../http/http-error.js';
import { readTime } from '../../query/filters.js';
import { checkFiniteQuery } from './query-route.js';

const ERRORS = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema } as const;
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

function checkRule(input: RuleInput): ReturnType<typeof withRuleDefaults> {
  const spec = withRuleDefaults(input);
  const problem = ruleProblem(spec);
  if (problem !== null) throw new HttpError(400, 'INVALID_RULE', `body.${problem}`);
  return spec;
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HttpError(400, 'INVALID_TARGET', `body.url: "${url.slice(0, 60)}" is not a URL; write it like https://hooks.example.com/closewatch`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new HttpError(400, 'INVALID_TARGET', 'body.url: only http and https URLs can receive notifications');
  return parsed.toString();
}

/** A time in a body or query of this API, or a 400 naming `field`. */
function parseTimeParam(field: string, raw: string | number, now: number): number {
  const time = readTime(raw, now);
  if (typeof time !== 'number') throw new HttpError(400, 'INVALID_TIME', `${field}: ${time.problem}`);
  return time;
}

const notFound = (what: string, id: string): HttpError => new HttpError(404, 'NOT_FOUND', `no ${what} with id ${id}; list them with GET /api/v1/${what === 'rule' ? 'alert-rules' : what === 'silence' ? 'silences' : 'notification-targets'}`);

/**
 * Alerting API: rules (and their backtest), active alerts and history, silences, and
 * notification targets with their delivery log. Reads take a read credential; changes
 * need a signed-in session.
 */
const alertRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const store = fastify.db.alerts;
  const clock = (): number => fastify.alerts.clock();
  const admin = { access: 'admin' as const };

  // ---------------------------------------------------------------- rules

  fastify.get('/alert-rules', { schema: { summary: 'Alert rules', response: { 200: Type.Object({ rules: Type.Array(RuleSchema) }), ...ERRORS } } }, async () => ({
    rules: (await store.listRules()).map(toRule).filter((r): r is AlertRule => r !== null),
  }));

  fastify.get('/alert-rules/:id', { schema: { params: IdParams, response: { 200: RuleSchema, ...ERRORS } } }, async (request) => {
    const row = await store.getRule(request.params.id);
    const rule = row === null ? null : toRule(row);
    if (rule === null) throw notFound('rule', request.params.id);
    return rule;
  });

  fastify.post('/alert-rules', { config: admin, schema: { summary: 'Create an alert rule', body: RuleInputSchema, response: { 201: RuleSchema, ...ERRORS } } }, async (request, reply) => {
    const row = await store.createRule(toFields(checkRule(request.body)));
    return reply.status(201).send(toRule(row) as AlertRule);
  });

  fastify.put('/alert-rules/:id', { config: admin, schema: { summary: 'Replace an alert rule', params: IdParams, body: RuleInputSchema, response: { 200: RuleSchema, ...ERRORS } } }, async (request) => {
    const row = await store.updateRule(request.params.id, toFields(checkRule(request.body)));
    if (row === null) throw notFound('rule', request.params.id);
    return toRule(row) as AlertRule;
  });

  fastify.patch(
    '/alert-rules/:id',
    { config: admin, schema: { summary: 'Change some fields of an alert rule (enable, disable...)', params: IdParams, body: Type.Partial(RuleInputSchema), response: { 200: RuleSchema, ...ERRORS } } },
    async (request) => {
      const current = await store.getRule(request.params.id);
      const rule = current === null ? null : toRule(current);
      if (rule === null) throw notFound('rule', request.params.id);
      const { id: _id, builtin: _builtin, createdAt: _c, updatedAt: _u, ...fields } = rule;
      const row = await store.updateRule(rule.id, toFields(checkRule({ ...fields, ...request.body })));
      return toRule(row as NonNullable<typeof row>) as AlertRule;
    },
  );

  fastify.delete('/alert-rules/:id', { config: admin, schema: { params: IdParams, response: { 204: Type.Null(), ...ERRORS } } }, async (request, reply) => {
    if (!(await store.deleteRule(request.params.id))) throw notFound('rule', request.params.id);
    return reply.status(204).send(null);
  });

  fastify.post(
    '/alert-rules/backtest',
    {
      // Changes nothing: a read credential is enough.
      config: { access: 'read' },
      schema: {
        summary: 'The episodes a rule (saved or not) would have produced over a past range',
        body: BacktestRequestSchema,
        response: {
          200: BacktestResultSchema,
          ...ERRORS,
          503: ErrorBodySchema,
        },
      },
    },
    async (request) => {
      const now = clock();
      const from = parseTimeParam('body.from', request.body.from, now);
      const to = Math.min(parseTimeParam('body.to', request.body.to, now), now);
      if (from >= to) throw new HttpError(400, 'INVALID_RANGE', 'body.from must be before body.to (and before now)');
      if (to - from > MAX_BACKTEST_MS) throw new HttpError(400, 'INVALID_RANGE', `body.from: a backtest covers at most ${MAX_BACKTEST_MS / 86_400_000} days; ask for a shorter range`);
      const { id: _id, builtin: _b, createdAt: _c, updatedAt: _u, ...input } = request.body.rule as AlertRule;
      const result = await backtest(fastify.db, checkRule(input), { from, to }, fastify.codeNames.map);
      return { episodes: result.episodes, minutesEvaluated: result.minutes };
    },
  );

  // ---------------------------------------------------------------- alerts

  fastify.get(
    '/alerts',
    {
      schema: {
        summary: 'Active alerts and the history of episodes',
        querystring: Type.Object({ from: Type.Optional(Type.String({ maxLength: 64 })), to: Type.Optional(Type.String({ maxLength: 64 })), ruleId: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: { 200: Type.Object({ active: Type.Array(ActiveAlertSchema), history: Type.Array(EpisodeSchema) }), ...ERRORS },
      },
    },
    async (request) => {
      checkFiniteQuery(request);
      const now = clock();
      const to = request.query.to === undefined ? now : parseTimeParam('querystring.to', request.query.to, now);
      const from = request.query.from === undefined ? to - 86_400_000 : parseTimeParam('querystring.from', request.query.from, now);
      if (from >= to) throw new HttpError(400, 'INVALID_QUERY', 'querystring.from: must be before to');
      const rules = new Map((await store.listRules()).map((r) => [r.id, toRule(r)]));
      const open = new Map((await store.openEpisodes()).map((e) => [e.id, e]));
      const silences = await store.silences(now);
      const active = [];
      for (const i of await store.listInstances()) {
        const rule = rules.get(i.ruleId);
        if (rule === undefined || rule === null) continue;
        const group = parseGroupKey(i.groupKey);
        const episode = i.episodeId === null ? undefined : open.get(i.episodeId);
        active.push({
          ruleId: rule.id,
          ruleName: rule.name,
          severity: rule.severity,
          group,
          state: i.state,
          pendingSince: i.pendingSince,
          episode: episode === undefined ? null : episodeView(episode),
          silenced: silenced(silences, rule, group),
        });
      }
      active.sort((a, b) => (a.state === b.state ? b.pendingSince - a.pendingSince : a.state === 'firing' ? -1 : 1));
      const history = await store.episodes({ from, to, limit: request.query.limit ?? 100, ...(request.query.ruleId === undefined ? {} : { ruleId: request.query.ruleId }) });
      return { active, history: history.map(episodeView) };
    },
  );

  // ---------------------------------------------------------------- silences

  fastify.get('/silences', { schema: { summary: 'Silences, active and recent', response: { 200: Type.Object({ silences: Type.Array(SilenceSchema) }), ...ERRORS } } }, async () => {
    const now = clock();
    return { silences: (await store.silences()).map((s) => silenceView(s, now)) };
  });

  fastify.post(
    '/silences',
    {
      config: admin,
      schema: {
        summary: 'Mute notifications of a rule, a service or a label until a time',
        body: SilenceInputSchema,
        response: { 201: SilenceSchema, ...ERRORS },
      },
    },
    async (request, reply) => {
      const { matcher, comment, createdBy } = request.body;
      if (matcher.ruleId === undefined && matcher.service === undefined && matcher.label === undefined) {
        throw new HttpError(400, 'INVALID_SILENCE', 'body.matcher: give a ruleId, a service or a label to match');
      }
      const now = clock();
      const endsAt = parseTimeParam('body.endsAt', request.body.endsAt, now);
      if (endsAt <= now) throw new HttpError(400, 'INVALID_SILENCE', 'body.endsAt: must be in the future');
      if (endsAt - now > 90 * 86_400_000) throw new HttpError(400, 'INVALID_SILENCE', 'body.endsAt: a silence lasts at most 90 days');
      const row = await store.createSilence({ matcher: JSON.stringify(matcher), startsAt: now, endsAt, comment, createdBy });
      return reply.status(201).send(silenceView(row, now));
    },
  );

  fastify.delete('/silences/:id', { config: admin, schema: { summary: 'End a silence now', params: IdParams, response: { 204: Type.Null(), ...ERRORS } } }, async (request, reply) => {
    if (!(await store.expireSilence(request.params.id))) throw notFound('silence', request.params.id);
    return reply.status(204).send(null);
  });

  // ---------------------------------------------------------------- targets

  const lastAttempts = async (): Promise<Map<string, Awaited<ReturnType<typeof store.attempts>>[number]>> => {
    const out = new Map();
    for (const t of await store.targets()) {
      const [last] = await store.attempts(t.id, 1);
      if (last !== undefined) out.set(t.id, last);
    }
    return out;
  };

  fastify.get('/notification-targets', { schema: { summary: 'Notification targets', response: { 200: Type.Object({ targets: Type.Array(TargetSchema) }), ...ERRORS } } }, async () => {
    const last = await lastAttempts();
    return { targets: (await store.targets()).map((t) => targetView(t, last.get(t.id))) };
  });

  fastify.post('/notification-targets', { config: admin, schema: { body: TargetInputSchema, response: { 201: TargetSchema, ...ERRORS } } }, async (request, reply) => {
    const { name, kind, url, enabled = true } = request.body;
    const row = await store.createTarget({ name, kind, url: checkUrl(url), enabled });
    return reply.status(201).send(targetView(row, undefined));
  });

  fastify.patch(
    '/notification-targets/:id',
    { config: admin, schema: { params: IdParams, body: Type.Partial(TargetInputSchema), response: { 200: TargetSchema, ...ERRORS } } },
    async (request) => {
      const { url, ...rest } = request.body;
      const row = await store.updateTarget(request.params.id, { ...rest, ...(url === undefined ? {} : { url: checkUrl(url) }) });
      if (row === null) throw notFound('target', request.params.id);
      const [last] = await store.attempts(row.id, 1);
      return targetView(row, last);
    },
  );

  fastify.delete('/notification-targets/:id', { config: admin, schema: { params: IdParams, response: { 204: Type.Null(), ...ERRORS } } }, async (request, reply) => {
    if (!(await store.deleteTarget(request.params.id))) throw notFound('target', request.params.id);
    return reply.status(204).send(null);
  });

  fastify.post(
    '/notification-targets/:id/test',
    {
      config: admin,
      schema: {
        summary: 'Send a test notification now',
        params: IdParams,
        response: { 200: TargetTestResultSchema, ...ERRORS },
      },
    },
    async (request) => {
      const target = await store.getTarget(request.params.id);
      if (target === null) throw notFound('target', request.params.id);
      const now = clock();
      const base = {
        event: 'test' as const,
        status: 'firing' as const,
        rule: { id: 'test', name: 'Test notification', severity: 'info' },
        group: {},
        watching: 'nothing: this is a test',
        episodeId: null,
        pendingSince: null,
        startedAt: now,
        endedAt: null,
        value: null,
        baseline: null,
        unit: '',
        topReasons: [],
        topRoutes: [],
        dashboardUrl: `${fastify.alerts.publicUrl}/alerts`,
      };
      const result = await fastify.alerts.notifier.test(target, { version: WEBHOOK_PAYLOAD_VERSION, id: '', ...base, summary: summarize({ ...base, id: '' }) });
      return { ok: result.ok, status: result.status, error: result.error, durationMs: Math.round(result.durationMs) };
    },
  );

  fastify.get(
    '/notification-targets/:id/attempts',
    {
      schema: {
        summary: 'The delivery log of a target, newest first',
        params: IdParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: { 200: Type.Object({ target: TargetSchema, attempts: Type.Array(AttemptSchema) }), ...ERRORS },
      },
    },
    async (request) => {
      checkFiniteQuery(request);
      const target = await store.getTarget(request.params.id);
      if (target === null) throw notFound('target', request.params.id);
      const attempts = await store.attempts(target.id, request.query.limit ?? 50);
      return { target: targetView(target, attempts[0]), attempts: attempts.map(attemptView) };
    },
  );

};

export default alertRoutes;

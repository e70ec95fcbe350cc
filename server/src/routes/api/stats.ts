import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { queryBreakdown } from '../../query/breakdown.js';
import { queryLifetimes } from '../../query/lifetimes.js';
import { queryReconnects } from '../../query/reconnects.js';
import { DEFAULT_REASON_LIMIT, MAX_REASON_LIMIT, queryReasons } from '../../query/reasons.js';
import { BreakdownSchema, GROUP_BYS, LifetimesSchema, ReasonsSchema, ReconnectsSchema, SummarySchema, TimeseriesSchema, type GroupBy } from '../../query/schemas.js';
import { querySummary } from '../../query/summary.js';
import { queryTimeseries } from '../../query/timeseries.js';
import { DEFAULT_TOP, MAX_TOP } from '../../query/top.js';
import { ERROR_RESPONSES, markPath, querySchema, readFilters } from './query-route.js';

const TIMESERIES_HINTS = {
  groupBy: `must be one of ${GROUP_BYS.join(', ')}`,
  bucketMs: 'must be a whole number of minutes in milliseconds (a multiple of 60000)',
};
const REASONS_HINTS = { limit: `must be an integer from 1 to ${MAX_REASON_LIMIT}` };
const TOP_HINT = { top: `must be an integer from 1 to ${MAX_TOP}` };
/** `top`: how many groups an answer lists; the rest are summed as "other", so no answer grows with cardinality. */
const topParam = (defaultTop: number) =>
  Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TOP, description: `groups listed (default ${defaultTop}); the rest are summed as other` }));

/** `/api/v1/stats/*`: aggregates over a time window, from rollups wherever the filters allow. */
const statsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const stats = fastify.db.stats;

  fastify.get(
    '/stats/summary',
    {
      attachValidation: true,
      schema: {
        summary: 'Headline figures and the previous period',
        querystring: querySchema({ top: topParam(DEFAULT_TOP.summary) }),
        response: { 200: SummarySchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const query = readFilters(request, TOP_HINT);
      const { body, path } = await querySummary(stats, query, request.query.top ?? DEFAULT_TOP.summary, fastify.codeNames.map);
      markPath(reply, path);
      return body;
    },
  );

  fastify.get(
    '/stats/timeseries',
    {
      attachValidation: true,
      schema: {
        summary: 'Closes per time bucket, grouped',
        querystring: querySchema({
          groupBy: Type.Optional(Type.Unsafe<GroupBy>({ type: 'string', enum: [...GROUP_BYS] })),
          bucketMs: Type.Optional(Type.Integer({ minimum: 60_000, multipleOf: 60_000 })),
          top: topParam(DEFAULT_TOP.timeseries),
        }),
        response: { 200: TimeseriesSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const query = readFilters(request, { ...TIMESERIES_HINTS, ...TOP_HINT });
      const { groupBy = 'category', bucketMs, top = DEFAULT_TOP.timeseries } = request.query;
      const { body, path } = await queryTimeseries(stats, query, { groupBy, top, names: fastify.codeNames.map, ...(bucketMs === undefined ? {} : { bucketMs }) });
      markPath(reply, path);
      return body;
    },
  );

  fastify.get(
    '/stats/reasons',
    {
      attachValidation: true,
      schema: {
        summary: 'Top reason templates per code, with raw examples',
        querystring: querySchema({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REASON_LIMIT })), top: topParam(DEFAULT_TOP.reasons) }),
        response: { 200: ReasonsSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const query = readFilters(request, { ...REASONS_HINTS, ...TOP_HINT });
      const { body, path } = await queryReasons(stats, query, request.query.limit ?? DEFAULT_REASON_LIMIT, request.query.top ?? DEFAULT_TOP.reasons, fastify.codeNames.map);
      markPath(reply, path);
      return body;
    },
  );

  fastify.get(
    '/stats/breakdown',
    {
      attachValidation: true,
      schema: {
        summary: 'Closes per service, instance and route',
        querystring: querySchema({ top: topParam(DEFAULT_TOP.breakdown) }),
        response: { 200: BreakdownSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { body, path } = await queryBreakdown(stats, readFilters(request, TOP_HINT), request.query.top ?? DEFAULT_TOP.breakdown);
      markPath(reply, path);
      return body;
    },
  );

  fastify.get(
    '/stats/reconnects',
    {
      attachValidation: true,
      schema: {
        summary: 'How long clients waited to reconnect after a server closed with 1001, 1012 or 1013, and who stormed',
        querystring: querySchema({}),
        response: { 200: ReconnectsSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const body = await queryReconnects(fastify.db.reconnects, stats, readFilters(request));
      markPath(reply, 'events');
      return body;
    },
  );

  fastify.get(
    '/stats/lifetimes',
    {
      attachValidation: true,
      schema: {
        summary: 'Connection-lifetime histogram per code',
        querystring: querySchema({ top: topParam(DEFAULT_TOP.lifetimes) }),
        response: { 200: LifetimesSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { body, path } = await queryLifetimes(stats, readFilters(request, TOP_HINT), request.query.top ?? DEFAULT_TOP.lifetimes, fastify.codeNames.map);
      markPath(reply, path);
      return body;
    },
  );
};

export default statsRoutes;

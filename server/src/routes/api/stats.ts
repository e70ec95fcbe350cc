import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { queryBreakdown } from '../../query/breakdown.js';
import { queryLifetimes } from '../../query/lifetimes.js';
import { DEFAULT_REASON_LIMIT, MAX_REASON_LIMIT, queryReasons } from '../../query/reasons.js';
import { BreakdownSchema, GROUP_BYS, LifetimesSchema, ReasonsSchema, SummarySchema, TimeseriesSchema, type GroupBy } from '../../query/schemas.js';
import { querySummary } from '../../query/summary.js';
import { queryTimeseries } from '../../query/timeseries.js';
import { ERROR_RESPONSES, markPath, querySchema, readFilters } from './query-route.js';

const TIMESERIES_HINTS = {
  groupBy: `must be one of ${GROUP_BYS.join(', ')}`,
  bucketMs: 'must be a whole number of minutes in milliseconds (a multiple of 60000)',
};
const REASONS_HINTS = { limit: `must be an integer from 1 to ${MAX_REASON_LIMIT}` };

/** `/api/v1/stats/*`: aggregates over a time window, from rollups wherever the filters allow. */
const statsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const stats = fastify.db.stats;

  fastify.get(
    '/stats/summary',
    {
      attachValidation: true,
      schema: { summary: 'Headline figures and the previous period', querystring: querySchema({}), response: { 200: SummarySchema, ...ERROR_RESPONSES } },
    },
    async (request, reply) => {
      const { body, path } = await querySummary(stats, readFilters(request));
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
        }),
        response: { 200: TimeseriesSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const query = readFilters(request, TIMESERIES_HINTS);
      const { groupBy = 'category', bucketMs } = request.query;
      const { body, path } = await queryTimeseries(stats, query, bucketMs === undefined ? { groupBy } : { groupBy, bucketMs });
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
        querystring: querySchema({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REASON_LIMIT })) }),
        response: { 200: ReasonsSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const query = readFilters(request, REASONS_HINTS);
      const { body, path } = await queryReasons(stats, query, request.query.limit ?? DEFAULT_REASON_LIMIT);
      markPath(reply, path);
      return body;
    },
  );

  fastify.get(
    '/stats/breakdown',
    {
      attachValidation: true,
      schema: { summary: 'Closes per service, instance and route', querystring: querySchema({}), response: { 200: BreakdownSchema, ...ERROR_RESPONSES } },
    },
    async (request, reply) => {
      const { body, path } = await queryBreakdown(stats, readFilters(request));
      markPath(reply, path);
      return body;
    },
  );

  fastify.get(
    '/stats/lifetimes',
    {
      attachValidation: true,
      schema: { summary: 'Connection-lifetime histogram per code', querystring: querySchema({}), response: { 200: LifetimesSchema, ...ERROR_RESPONSES } },
    },
    async (request, reply) => {
      const { body, path } = await queryLifetimes(stats, readFilters(request));
      markPath(reply, path);
      return body;
    },
  );
};

export default statsRoutes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PassThrough } from 'node:stream';
import { exportFileName } from '../../export/csv.js';
import { aggregateCsv, EXPORT_KINDS, pumpEventsCsv, type ExportKind } from '../../export/export-csv.js';
import { DEFAULT_REASON_LIMIT, MAX_REASON_LIMIT } from '../../query/reasons.js';
import { GROUP_BYS, type GroupBy } from '../../query/schemas.js';
import { DEFAULT_TOP, MAX_TOP } from '../../query/top.js';
import { ERROR_RESPONSES, querySchema, readFilters } from './query-route.js';

const HINTS = {
  kind: `must be one of ${EXPORT_KINDS.join(', ')}`,
  groupBy: `must be one of ${GROUP_BYS.join(', ')}`,
  bucketMs: 'must be a whole number of minutes in milliseconds (a multiple of 60000)',
  top: `must be an integer from 1 to ${MAX_TOP}`,
  limit: `must be an integer from 1 to ${MAX_REASON_LIMIT}`,
  bom: 'must be 0 or 1',
};

/**
 * `GET /api/v1/export.csv`: the data behind a dashboard view as CSV, with the view's own
 * filters and range (the same parser). `kind=events` streams every matching close from
 * the database page by page; the aggregates come from the same functions as the API.
 */
const exportRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/export.csv',
    {
      attachValidation: true,
      schema: {
        summary: 'Export a view as CSV',
        querystring: querySchema({
          kind: Type.Optional(Type.Unsafe<ExportKind>({ type: 'string', enum: [...EXPORT_KINDS] })),
          bom: Type.Optional(Type.Unsafe<'0' | '1'>({ type: 'string', enum: ['0', '1'] })),
          groupBy: Type.Optional(Type.Unsafe<GroupBy>({ type: 'string', enum: [...GROUP_BYS] })),
          bucketMs: Type.Optional(Type.Integer({ minimum: 60_000, multipleOf: 60_000 })),
          top: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TOP })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REASON_LIMIT })),
        }),
        response: { 200: Type.Unknown({ description: 'text/csv; charset=utf-8 (streamed, not JSON)' }), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const query = readFilters(request, HINTS);
      const { kind = 'events', bom, groupBy = 'category', bucketMs, top, limit = DEFAULT_REASON_LIMIT } = request.query;
      const scope = query.filters.service;
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName(kind, scope, query.window)}"`)
        .header('cache-control', 'no-store');
      if (kind === 'events') {
        const out = new PassThrough();
        const onPage = (rows: number): void => {
          fastify.metrics.exportPages.inc();
          fastify.metrics.exportRows.inc(rows);
        };
        // The answer starts at once; a read that fails midway ends the stream with the
        // error, which cuts the chunked answer short, so a client never takes a partial
        // export for a whole one.
        pumpEventsCsv(fastify.db.events, query, out, bom === '1', onPage).catch((error: unknown) => {
          request.log.error({ err: error }, 'CSV export failed midway');
          out.destroy(error instanceof Error ? error : new Error(String(error)));
        });
        return reply.send(out);
      }
      const defaultTop = kind === 'timeseries' || kind === 'reconnects' ? DEFAULT_TOP.timeseries : DEFAULT_TOP[kind];
      return aggregateCsv(fastify.db, kind, query, { groupBy, bucketMs, top: top ?? defaultTop, limit, names: fastify.codeNames.map }, bom === '1');
    },
  );
};

export default exportRoutes;

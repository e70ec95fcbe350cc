import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TProperties } from '@sinclair/typebox';
import { ErrorBodySchema } from '../../http/http-error.js';
import { FilterQuerySchema, invalidQuery, parseFilters, schemaError, type FilterQuery, type ParsedQuery } from '../../query/filters.js';
import type { ReadPath } from '../../storage/types.js';

/** The shared filters plus a route's own parameters, as one querystring schema. */
export function querySchema<P extends TProperties>(extra: P) {
  return Type.Object({ ...FilterQuerySchema.properties, ...extra });
}

/** Every read route answers errors in the one shape. */
export const ERROR_RESPONSES = { 400: ErrorBodySchema, 500: ErrorBodySchema, 503: ErrorBodySchema } as const;

/**
 * Routes validate with `attachValidation` and call this first: schema violations then
 * become INVALID_QUERY with a hint, like the errors of the filter parser.
 */
export function readFilters(request: FastifyRequest, hints: Readonly<Record<string, string>> = {}): ParsedQuery {
  if (request.validationError) throw schemaError(request.validationError, hints);
  checkFiniteQuery(request, hints);
  const parsed = parseFilters(request.query as FilterQuery);
  // A named code counts in the category the team gave it, wherever categories filter or group.
  if (request.server.codeNames.map.size > 0) parsed.filters.customCodes = request.server.codeNames.map;
  return parsed;
}

/** ajv coerces "Infinity" and "1e400" to Infinity and then skips minimum and maximum: numbers must be finite. */
export function checkFiniteQuery(request: FastifyRequest, hints: Readonly<Record<string, string>> = {}): void {
  for (const [field, value] of Object.entries(request.query as Record<string, unknown>)) {
    if (typeof value === 'number' && !Number.isFinite(value)) throw invalidQuery(field, hints[field] ?? 'must be a finite number');
  }
}

/** Which storage answered, for operators and tests (rollups or raw events). */
export function markPath(reply: FastifyReply, path: ReadPath): void {
  void reply.header('x-closewatch-path', path);
}

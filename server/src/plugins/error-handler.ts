import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, HttpError } from '../http/http-error.js';
import { ReadTimeoutError } from '../storage/errors.js';

interface Mapped {
  status: number;
  code: string;
  message: string;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** Turns what fastify, zlib and our routes throw into a status and a message a person can act on. */
function mapError(error: FastifyError & { code?: string }, bodyLimit: number): Mapped {
  if (error instanceof HttpError) return { status: error.statusCode, code: error.code, message: error.message };
  if (error instanceof ReadTimeoutError) {
    return {
      status: 503,
      code: 'READ_TIMEOUT',
      message: `the query did not finish within ${error.budgetMs / 1000} s (READ_TIMEOUT_MS); ask for a shorter range or fewer raw-event filters (instance, label), or retry when the collector is less busy`,
    };
  }
  if (error.validation) {
    const where = error.validationContext ?? 'request';
    const first = error.validation[0];
    const path = first?.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
    const missing = first?.keyword === 'required' ? String((first.params as { missingProperty?: string }).missingProperty ?? '') : '';
    const field = [where, path, missing].filter(Boolean).join('.');
    return { status: 400, code: 'INVALID_REQUEST', message: `${field} ${missing ? 'is required' : (first?.message ?? 'is invalid')}` };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: 'BODY_TOO_LARGE',
        message: `request body is larger than ${formatBytes(bodyLimit)} (after decompression); send smaller batches`,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the body as JSON with Content-Type: application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'INVALID_BODY', message: 'the body is empty; send a JSON object like {"events": [...]}' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      // fastify's parser also refuses valid JSON with keys that could poison prototypes.
      return {
        status: 400,
        code: 'INVALID_JSON',
        message: 'the body is not valid JSON, or has a __proto__ or constructor.prototype key; send {"events": [...]} with Content-Type: application/json',
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'INVALID_BODY', message: 'the body length does not match Content-Length' };
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return { status: 400, code: 'INVALID_GZIP', message: 'the body is not valid gzip although Content-Encoding says gzip' };
    default:
      break;
  }
  if (error.statusCode === 400 && error instanceof SyntaxError) {
    return { status: 400, code: 'INVALID_JSON', message: `the body is not valid JSON (${error.message})` };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return { status, code: error.code ?? 'BAD_REQUEST', message: error.message };
  return { status: 500, code: 'INTERNAL', message: 'the collector failed to handle this request; it is logged, retry later' };
}

/** One central error handler and one not-found handler, both answering `{ error: { code, message } }`. */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error: FastifyError, request, reply) => {
      const mapped = mapError(error, request.routeOptions.bodyLimit ?? fastify.initialConfig.bodyLimit ?? 1024 * 1024);
      if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ status: mapped.status, code: mapped.code, msg: mapped.message }, 'request rejected');
      if (error instanceof HttpError) void reply.headers(error.headers);
      return reply.status(mapped.status).send(errorBody(mapped.code, mapped.message));
    });
    fastify.setNotFoundHandler((request, reply) =>
      reply
        .status(404)
        .send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}; the API lives under /api/v1/ (see README)`)),
    );
  },
  { name: 'error-handler' },
);

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CodeNameInputSchema, CodeNameSchema, CodeNamesSchema, RegisterCodesSchema, RegisterResultSchema } from '../../codes/api-schemas.js';
import { allCodes, checkInput, checkNameable, customView, parseCodeParam, registryView } from '../../codes/views.js';
import { ErrorBodySchema, HttpError } from '../../http/http-error.js';
import { authenticateIngest } from '../../ingest/ingest-auth.js';
import { describeCloseCode, STANDARD_CODES, REGISTERED_CODES } from '@closewatch/sdk/close-codes';

const ERRORS = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema } as const;
const CodeParams = Type.Object({ code: Type.String({ maxLength: 12 }) });
const REGISTRY_NAMED = new Set([...STANDARD_CODES, ...REGISTERED_CODES]);

/**
 * Close-code names: the registry's and the teams' own (3000-4999). Reads take a read
 * credential; a person changes names with a signed-in session; an application
 * registers its codes at start with its server ingest key, never over a person's name.
 */
const codeRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const store = fastify.db.codeNames;

  fastify.decorateRequest('ingestKey', null);

  fastify.get('/codes', { schema: { summary: 'Every named close code, the registry\'s and your own', response: { 200: CodeNamesSchema, ...ERRORS } } }, async () => ({
    codes: allCodes(await store.list()),
  }));

  fastify.get('/codes/:code', { schema: { summary: 'One close code\'s name', params: CodeParams, response: { 200: CodeNameSchema, ...ERRORS } } }, async (request) => {
    const code = parseCodeParam(request.params.code);
    const row = await store.get(code);
    if (row !== null) return customView(row);
    if (REGISTRY_NAMED.has(code)) return registryView(code);
    throw new HttpError(404, 'NOT_FOUND', `code ${code} has no name of its own (it shows as "${describeCloseCode(code).name}"); name it with PUT /api/v1/codes/${code}`);
  });

  fastify.put(
    '/codes/:code',
    { config: { access: 'admin' }, schema: { summary: 'Name a close code (3000-4999)', params: CodeParams, body: CodeNameInputSchema, response: { 200: CodeNameSchema, 201: CodeNameSchema, ...ERRORS } } },
    async (request, reply) => {
      const code = checkNameable(parseCodeParam(request.params.code), 'params.code');
      const { row, created } = await store.put(code, checkInput(request.body, 'body.'));
      await fastify.codeNames.changed();
      return reply.status(created ? 201 : 200).send(customView(row));
    },
  );

  fastify.delete('/codes/:code', { config: { access: 'admin' }, schema: { summary: 'Remove a code\'s own name', params: CodeParams, response: { 204: Type.Null(), ...ERRORS } } }, async (request, reply) => {
    const code = parseCodeParam(request.params.code);
    if (!(await store.delete(code))) throw new HttpError(404, 'NOT_FOUND', `code ${code} has no name of its own to remove; list them with GET /api/v1/codes`);
    await fastify.codeNames.changed();
    return reply.status(204).send(null);
  });

  fastify.put(
    '/codes',
    {
      config: { access: 'ingest' },
      onRequest: authenticateIngest,
      schema: {
        summary: 'Register an application\'s codes (the SDK does this at start, with a server ingest key)',
        headers: Type.Object({ authorization: Type.Optional(Type.String()) }),
        body: RegisterCodesSchema,
        response: { 200: RegisterResultSchema, ...ERRORS },
      },
    },
    async (request) => {
      const key = request.ingestKey;
      if (key === null) throw new HttpError(401, 'MISSING_KEY', 'send a server ingest key as "Authorization: Bearer <key>"');
      if (key.kind !== 'server') throw new HttpError(403, 'SERVER_KEY_REQUIRED', 'code names are registered with a server ingest key; browser keys are public and cannot name codes');
      const seen = new Set<number>();
      const entries = request.body.codes.map((entry, i) => {
        const code = checkNameable(entry.code, `body.codes.${i}.code`);
        if (seen.has(code)) throw new HttpError(400, 'DUPLICATE_CODE', `body.codes.${i}.code: ${code} appears twice; send each code once`);
        seen.add(code);
        return { code, ...checkInput(entry, `body.codes.${i}.`) };
      });
      const results = await store.register(entries);
      if (results.some((r) => r.outcome === 'created' || r.outcome === 'updated')) await fastify.codeNames.changed();
      return { results };
    },
  );
};

export default codeRoutes;

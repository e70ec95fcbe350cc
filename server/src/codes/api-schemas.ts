import { CLOSE_CATEGORIES, type CloseCategory } from '@closewatch/sdk/close-codes';
import { Type, type Static } from '@sinclair/typebox';

export const MAX_NAME_LENGTH = 64;
export const MAX_MEANING_LENGTH = 200;
/** Codes one SDK registration may carry (the whole nameable range is 2000). */
export const MAX_REGISTER_CODES = 2000;

const CategorySchema = Type.Unsafe<CloseCategory>(Type.String({ enum: [...CLOSE_CATEGORIES], description: 'one of the registry\'s categories' }));

/** A name as a person or an application writes it. */
export const CodeNameInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'short name shown beside the code, 1-64 characters' }),
    meaning: Type.Optional(Type.String({ maxLength: MAX_MEANING_LENGTH, description: 'one line: what the code means (default empty)' })),
    category: Type.Optional(Type.String({ description: 'one of the registry\'s categories (default application)' })),
    retry: Type.Optional(Type.Boolean({ description: 'whether a client should reconnect after it (default false)' })),
    alertWorthy: Type.Optional(Type.Boolean({ description: 'whether it deserves an alert (default false)' })),
  },
  { additionalProperties: false },
);
export type CodeNameInput = Static<typeof CodeNameInputSchema>;

/** `PUT /api/v1/codes`: the SDK's registration of its application's codes. */
export const RegisterCodesSchema = Type.Object(
  { codes: Type.Array(Type.Object({ code: Type.Integer(), ...CodeNameInputSchema.properties }, { additionalProperties: false }), { maxItems: MAX_REGISTER_CODES }) },
  { additionalProperties: false },
);
export type RegisterCodes = Static<typeof RegisterCodesSchema>;

export const RegisterResultSchema = Type.Object({
  results: Type.Array(
    Type.Object({
      code: Type.Integer(),
      outcome: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('unchanged'), Type.Literal('kept-ui')], {
        description: 'kept-ui: a name set in the dashboard stays as it is',
      }),
    }),
  ),
});
export type RegisterResult = Static<typeof RegisterResultSchema>;

/** A named code as the API shows it: the registry's, or a team's own (`custom`). */
export const CodeNameSchema = Type.Object({
  code: Type.Integer(),
  name: Type.String(),
  shortName: Type.String(),
  meaning: Type.String(),
  hint: Type.String(),
  category: CategorySchema,
  custom: Type.Boolean({ description: 'a team\'s own name (3000-4999), not the registry\'s' }),
  retry: Type.Union([Type.Boolean(), Type.Null()], { description: 'custom codes: whether a client should reconnect; null for the registry\'s' }),
  alertWorthy: Type.Union([Type.Boolean(), Type.Null()]),
  source: Type.Union([Type.Literal('registry'), Type.Literal('ui'), Type.Literal('sdk')]),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type CodeName = Static<typeof CodeNameSchema>;

export const CodeNamesSchema = Type.Object({ codes: Type.Array(CodeNameSchema) });
export type CodeNames = Static<typeof CodeNamesSchema>;

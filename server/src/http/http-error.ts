import { Type } from '@sinclair/typebox';

/** The one error body of every route: `{ error: { code, message } }`. */
export const ErrorBodySchema = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'stable machine-readable code, e.g. INVALID_BODY' }),
    message: Type.String({ description: 'what was wrong and what to do about it' }),
  }),
});

/** An error whose status, code, message and headers (such as Retry-After) go to the client as they are. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

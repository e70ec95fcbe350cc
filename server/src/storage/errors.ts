/** A read that did not finish within its budget (waiting and running together). */
export class ReadTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`the query did not finish within its budget of ${budgetMs} ms`);
    this.name = 'ReadTimeoutError';
  }
}

/** The writer's queue is full (batches or bytes): the batch was not taken; retry it shortly. */
export class WriterBusyError extends Error {
  constructor(readonly detail: string) {
    super(`the writer's queue is full (${detail})`);
    this.name = 'WriterBusyError';
  }
}

/** Why the writer rejected a batch, with a reason fit for clients and probes. */
export class WriteFailedError extends Error {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'WriteFailedError';
  }
}

/**
 * Whether Prisma refused a write because a unique key already holds the value (P2002):
 * collectors starting together on one database race to create the same rows.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

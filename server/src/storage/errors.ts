/** A read that did not finish within its budget (waiting and running together). */
export class ReadTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`the query did not finish within its budget of ${budgetMs} ms`);
    this.name = 'ReadTimeoutError';
  }
}

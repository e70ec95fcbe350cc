/**
 * Polling with a deadline, for conditions no event announces. A bare
 * `while (!cond) await sleep()` hangs the whole run when the condition never comes;
 * this fails the test instead, and says what it was waiting for.
 */

/** Default deadline: far beyond what any condition needs on a loaded machine. */
export const WAIT_FOR_TIMEOUT_MS = 5000;

/**
 * Resolves once `predicate()` is true; rejects after `timeoutMs` with
 * `timed out after <timeoutMs> ms waiting for <what>`.
 */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = WAIT_FOR_TIMEOUT_MS): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

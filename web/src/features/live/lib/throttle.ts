export interface Throttled {
  (): void;
  cancel(): void;
}

/**
 * Runs `fn` at most once per `intervalMs`: the first call runs at once, calls during
 * the interval collapse into one trailing run, so the last tick is never lost.
 */
export function throttle(fn: () => void, intervalMs: number, now: () => number = Date.now): Throttled {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = now();
    fn();
  };
  const throttled = (() => {
    const wait = last + intervalMs - now();
    if (wait <= 0 && timer === undefined) run();
    else if (timer === undefined) timer = setTimeout(run, Math.max(0, wait));
  }) as Throttled;
  throttled.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return throttled;
}

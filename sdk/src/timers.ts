/**
 * Timers that work the same in Node and browsers. Background timers are unref'd in
 * Node so the SDK never keeps a process alive on its own; only a flush the host is
 * explicitly awaiting may hold it open (bounded by its timeout).
 */
export type TimerHandle = ReturnType<typeof setTimeout>;

/** setTimeout, unref'd unless the caller is awaiting it. */
export function startTimer(callback: () => void, ms: number, keepProcessAlive = false): TimerHandle {
  const timer = setTimeout(callback, ms);
  if (!keepProcessAlive) (timer as { unref?: () => void }).unref?.();
  return timer;
}

/** clearTimeout that accepts undefined. */
export function stopTimer(timer: TimerHandle | undefined): void {
  if (timer !== undefined) clearTimeout(timer);
}

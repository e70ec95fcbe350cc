/**
 * Flush on process exit, for clients created with `flushOnExit: true`. One set of
 * process listeners serves every such client, so many clients do not trip the
 * MaxListeners warning.
 */

/** How long a signal waits for the queue to drain before the exit goes on. */
export const EXIT_FLUSH_TIMEOUT_MS = 5_000;

interface Flushable {
  flush(timeoutMs?: number): Promise<void>;
  pending(): number;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type ExitSignal = (typeof SIGNALS)[number];

const clients = new Set<Flushable>();
let finalFlushDone = false;

function flushAll(): Promise<void> {
  return Promise.all([...clients].map((client) => client.flush(EXIT_FLUSH_TIMEOUT_MS))).then(() => undefined);
}

function onSignal(signal: ExitSignal): void {
  uninstall();
  void flushAll().then(() => {
    // Our listener replaced Node's default (exit). When nobody else handles the signal,
    // raise it again so the process still exits with it, as it would have without us.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

function onBeforeExit(): void {
  // 'beforeExit' fires every time the loop drains. Flush once; flush again only if
  // that flush emptied the queue, or a collector that stays down would keep the
  // process alive forever.
  if (finalFlushDone) return;
  if ([...clients].every((client) => client.pending() === 0)) return;
  finalFlushDone = true;
  void flushAll().then(() => {
    if ([...clients].every((client) => client.pending() === 0)) finalFlushDone = false;
  });
}

function install(): void {
  for (const signal of SIGNALS) process.once(signal, onSignal);
  process.on('beforeExit', onBeforeExit);
}

function uninstall(): void {
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  process.removeListener('beforeExit', onBeforeExit);
}

/** Flushes `client` on SIGTERM, SIGINT and 'beforeExit'; returns the unregister function. */
export function registerExitFlush(client: Flushable): () => void {
  if (clients.size === 0) install();
  clients.add(client);
  return () => {
    if (!clients.delete(client)) return;
    if (clients.size === 0) uninstall();
  };
}

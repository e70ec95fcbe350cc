/**
 * The one-call entry points: `instrument(wss, options)` and `track(socket, request,
 * options)`, each backed by a client (see `createClient` to manage one yourself).
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { createClient, type ClosewatchClient } from './client.js';
import type { ClosewatchOptions } from './options.js';

/**
 * Calling it removes every listener and wrapper that was added (sockets still open are
 * then not reported); queued events are still delivered in the background.
 */
export interface Instrumentation {
  (): void;
  /** Sends what is queued now; resolves when delivered or after `timeoutMs` (default 10 s). Never rejects. */
  flush(timeoutMs?: number): Promise<void>;
  /** Removes the listeners, delivers what is queued (at most `timeoutMs`, default 5 s) and shuts the client down. Never rejects. */
  close(timeoutMs?: number): Promise<void>;
  /** The client behind it (shared by every `track()` call given the same options object). */
  readonly client: ClosewatchClient;
}

function handle(remove: () => void, client: ClosewatchClient, onClose?: () => void): Instrumentation {
  const stop = (): void => remove();
  return Object.assign(stop, {
    flush: (timeoutMs?: number) => client.flush(timeoutMs),
    close: (timeoutMs?: number) => {
      remove();
      onClose?.();
      return client.close(timeoutMs);
    },
    client,
  });
}

/**
 * Reports one event per closed connection of a `ws` WebSocketServer (also in
 * `noServer` mode). See `ClosewatchOptions` for the options and their defaults.
 * @throws {TypeError} when `wss` is not a WebSocketServer or an option is invalid.
 */
export function instrument(wss: WebSocketServer, options?: ClosewatchOptions): Instrumentation {
  const client = createClient(options);
  try {
    return handle(client.instrument(wss), client);
  } catch (error) {
    void client.close(0);
    throw error;
  }
}

// track() is called once per socket: a client per call would mean a queue, a timer and
// a request per connection. Calls given the same options object share one client.
const clients = new WeakMap<object, ClosewatchClient>();

/**
 * Reports the close of one server-side socket, for setups without a WebSocketServer.
 * Pass the same options object on every call so the sockets share one queue.
 * @throws {TypeError} when `socket` is not a ws WebSocket or an option is invalid.
 */
export function track(socket: WebSocket, request: IncomingMessage | undefined, options?: ClosewatchOptions): Instrumentation {
  // Without options (key from the environment) every call shares one client, keyed by
  // the map itself as a stand-in object.
  const key: object = options ?? clients;
  let client = clients.get(key);
  if (client === undefined) {
    client = createClient(options);
    clients.set(key, client);
  }
  // A closed client must not swallow the sockets of later calls with the same options.
  return handle(client.track(socket, request), client, () => clients.delete(key));
}

/**
 * A drop-in WebSocket class whose every instance is observed: replace
 * `new WebSocket(url)` by `new ObservedWebSocket(url)`, nothing else changes.
 */
import type { BrowserClient } from './client.js';
import type { ObservableWebSocket } from './options.js';

/** A WebSocket constructor: the DOM one, or an API-compatible one (tests, polyfills). */
export type WebSocketConstructor<T extends ObservableWebSocket = ObservableWebSocket> = abstract new (
  url: string | URL,
  protocols?: string | string[],
) => T;

/** Subclass of `Base` whose constructor hands every new instance to `client.observe()`. */
export function observedSubclass<C extends WebSocketConstructor>(Base: C, client: BrowserClient): C {
  // A mixin's base must be typed with `any[]` constructor arguments (TS2545); the
  // public type stays `C`, the constructor it extends.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const Mixin = Base as unknown as new (...args: any[]) => ObservableWebSocket;
  class ObservedWebSocket extends Mixin {
    constructor(...args: unknown[]) {
      super(...args);
      client.observe(this);
    }
  }
  Object.defineProperty(ObservedWebSocket, 'name', { value: `Observed${Base.name || 'WebSocket'}` });
  return ObservedWebSocket as unknown as C;
}

/**
 * `@closewatch/sdk`: one closewatch event per closed connection of a `ws` server.
 *
 * ```js
 * import { instrument } from '@closewatch/sdk';
 * const stop = instrument(wss, { apiKey: process.env.CLOSEWATCH_INGEST_KEY, service: 'chat' });
 * ```
 */
export { instrument, track, type Instrumentation } from './instrument.js';
export { createClient, NODE_SDK_NAME, type ClosewatchClient } from './client.js';
export {
  API_KEY_ENV,
  DEFAULT_COLLECTOR_URL,
  type ClosewatchOptions,
  type ConnectionOptions,
} from './options.js';
export {
  ClosewatchError,
  type ClosewatchErrorKind,
  type ErrorHandler,
  type RejectedEvent,
} from './errors.js';
export type { ClosewatchEvent, Initiator } from './event.js';
export type { CodeDescription, CodeDescriptions } from './code-names.js';
export type { DeliveryStats } from './delivery/delivery.js';
export type { FetchLike, ResponseLike, RequestInitLike } from './delivery/post-batch.js';
export type { Labels } from './validate.js';
export { SDK_VERSION } from './version.js';
export * from './close-codes.js';

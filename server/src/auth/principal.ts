import type { ResolvedKey } from '../keys/key-store.js';

/** Who made a request, once their credential checked out. */
export type Principal =
  | { kind: 'session' }
  | { kind: 'read-token'; keyId: string }
  | { kind: 'live-ticket' }
  | { kind: 'ingest-key'; key: ResolvedKey }
  /** CLOSEWATCH_AUTH=none on a loopback address: this machine is trusted. */
  | { kind: 'local' };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

import type { ResolvedKey } from '../storage/keys/key-store.js';

/** Who made a request, once their credential checked out. */
export type Principal =
  | { kind: 'session'; sessionId: string }
  | { kind: 'read-token'; keyId: string }
  /** A live ticket carries who it was issued to, so the socket it opens ends with that credential. */
  | { kind: 'live-ticket'; issuedTo: Principal }
  | { kind: 'ingest-key'; key: ResolvedKey }
  /** CLOSEWATCH_AUTH=none on a loopback address: this machine is trusted. */
  | { kind: 'local' };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** A principal as the text a live ticket carries (`s:<session id>`, `k:<key id>`, `l`). */
export function principalSubject(p: Principal): string | null {
  if (p.kind === 'session') return `s:${p.sessionId}`;
  if (p.kind === 'read-token') return `k:${p.keyId}`;
  if (p.kind === 'local') return 'l';
  if (p.kind === 'live-ticket') return principalSubject(p.issuedTo);
  return null;
}

export function subjectPrincipal(subject: string): Principal | null {
  if (subject.startsWith('s:')) return { kind: 'session', sessionId: subject.slice(2) };
  if (subject.startsWith('k:')) return { kind: 'read-token', keyId: subject.slice(2) };
  if (subject === 'l') return { kind: 'local' };
  return null;
}

import { randomUUID } from 'node:crypto';

/** A valid ingest event with sensible defaults; override any field. */
export function makeEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    ts: Date.now() - 1000,
    code: 1000,
    reason: 'bye',
    wasClean: true,
    initiator: 'server',
    service: 'chat',
    instance: 'chat-1',
    route: '/ws',
    durationMs: 12_345,
    messagesIn: 3,
    messagesOut: 4,
    bytesIn: 120,
    bytesOut: 480,
    labels: { region: 'eu' },
    ...overrides,
  };
}

/** A small deterministic PRNG (mulberry32) so randomized loads are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

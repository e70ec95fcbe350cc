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

export { pick, seededRandom } from '../../src/demo/seeded-random.js';

import type { StoredCloseEvent } from '../../src/storage/types.js';

let counter = 0;

/** A close event in its stored form (for writing through the writer thread directly). */
export function storedEvent(overrides: Partial<StoredCloseEvent> = {}): StoredCloseEvent {
  counter += 1;
  return {
    keyId: 'test',
    eventId: `stored-${process.pid}-${counter}`,
    ts: Date.now(),
    receivedAt: Date.now(),
    code: 1000,
    reason: '',
    reasonTruncated: false,
    reasonTemplate: '',
    wasClean: true,
    initiator: 'server',
    source: 'server',
    service: 'chat',
    instance: 'chat-1',
    route: '/ws',
    durationMs: 1,
    messagesIn: null,
    messagesOut: null,
    bytesIn: null,
    bytesOut: null,
    labels: {},
    remoteAddrHash: null,
    clientKey: null,
    clientAgent: null,
    previousCode: null,
    reconnectDelayMs: null,
    ...overrides,
  };
}

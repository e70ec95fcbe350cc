import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEventId } from '../src/event-id.js';

test('event ids are UUIDv7: version 7, RFC variant, the timestamp first', () => {
  const id = newEventId(Date.parse('2026-11-26T10:00:00.123Z'));
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), Date.parse('2026-11-26T10:00:00.123Z'));
});

test('ids sort by time and never repeat', () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => newEventId(1_795_000_000_000 + Math.floor(i / 100)));
  assert.equal(new Set(ids).size, ids.length);
  const prefixes = ids.map((id) => id.slice(0, 13));
  assert.deepEqual([...prefixes].sort(), prefixes);
});

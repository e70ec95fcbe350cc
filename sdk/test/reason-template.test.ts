import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TEMPLATE_LENGTH, reasonTemplate } from '../src/reason-template.js';

const cases: Array<[string, string]> = [
  ['user 8812 banned', 'user {n} banned'],
  ['user 17 banned', 'user {n} banned'],
  ['user 12345678 banned', 'user {n} banned'],
  ['session 550e8400-e29b-41d4-a716-446655440000 expired', 'session {uuid} expired'],
  ['SESSION 550E8400-E29B-41D4-A716-446655440000', 'SESSION {uuid}'],
  ['session 3f2a9c1b7e4d expired', 'session {hex} expired'],
  ['token 0x1f2e3d4c4b revoked', 'token {hex} revoked'],
  ['object 5f3a9c2e', 'object {hex}'],
  ['blocked 10.0.0.1', 'blocked {ip}'],
  ['blocked 192.168.1.254:8443 for spam', 'blocked {ip} for spam'],
  ['mail bob.smith+ws@example.co.uk bounced', 'mail {email} bounced'],
  ['user:bob@example.com kicked', 'user:{email} kicked'],
  ['rate 1.5 per 2,000 ms', 'rate {n} per {n} ms'],
  ['retry after -5 seconds', 'retry after {n} seconds'],
  ['room-42 full', 'room-{n} full'],
  ['ends at 5.', 'ends at {n}.'],
  // Words and identifiers are untouched.
  ['going away', 'going away'],
  ['deadbeef cafebabe', 'deadbeef cafebabe'],
  ['v2 protocol', 'v2 protocol'],
  ['error E1234', 'error E1234'],
  ['try again in 30s', 'try again in 30s'],
  ['shard_12 down', 'shard_12 down'],
  ['client v1.2.3 too old', 'client v1.2.3 too old'],
  ['Überlastet: zu viele Verbindungen', 'Überlastet: zu viele Verbindungen'],
  ['', ''],
  ['  spaced \t out\n reason ', 'spaced out reason'],
];

test('reason templates', () => {
  for (const [reason, template] of cases) assert.equal(reasonTemplate(reason), template, JSON.stringify(reason));
});

test('templates are capped at MAX_TEMPLATE_LENGTH characters', () => {
  assert.equal(MAX_TEMPLATE_LENGTH, 160);
  assert.equal(reasonTemplate('a'.repeat(300)), 'a'.repeat(160));
  // Cut after collapsing whitespace, so the cut may end on a space.
  assert.equal(reasonTemplate(`${'word '.repeat(40)}1`), 'word '.repeat(32));
});

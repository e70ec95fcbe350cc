import assert from 'node:assert/strict';
import { test } from 'node:test';
import { payloadByteLength, utf8ByteLength } from '../src/byte-length.js';

test('utf8ByteLength matches Buffer.byteLength, surrogates included', () => {
  // A lone surrogate counts as U+FFFD, 3 bytes: what TextEncoder and Buffer write for it.
  const cases: Array<[string, number]> = [
    ['', 0], ['abc', 3], ['héllo', 6], ['€', 3], ['日本語', 9], ['😀', 4], ['a😀b', 6], ['\ud800', 3], ['x\udc00y', 5], ['\ud800\ud800', 6],
  ];
  for (const [text, bytes] of cases) {
    assert.equal(utf8ByteLength(text), bytes, JSON.stringify(text));
    assert.equal(Buffer.byteLength(text, 'utf8'), bytes, `Buffer agrees on ${JSON.stringify(text)}`);
  }
});

test('payloadByteLength of every payload ws and browsers accept', () => {
  assert.equal(payloadByteLength('héllo'), 6);
  assert.equal(payloadByteLength(Buffer.alloc(7)), 7);
  assert.equal(payloadByteLength(new Uint16Array(3)), 6);
  assert.equal(payloadByteLength(new DataView(new ArrayBuffer(9))), 9);
  assert.equal(payloadByteLength(new ArrayBuffer(11)), 11);
  assert.equal(payloadByteLength(new SharedArrayBuffer(2)), 2);
  assert.equal(payloadByteLength(new Blob(['abcd'])), 4);
  assert.equal(payloadByteLength([Buffer.alloc(2), Buffer.alloc(3)]), 5);
  assert.equal(payloadByteLength(12345), 5);
  assert.equal(payloadByteLength(undefined), 0);
  assert.equal(payloadByteLength({}), 0);
});

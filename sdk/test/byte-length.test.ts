import assert from 'node:assert/strict';
import { test } from 'node:test';
import { payloadByteLength, utf8ByteLength } from '../src/byte-length.js';

test('utf8ByteLength matches Buffer.byteLength, surrogates included', () => {
  for (const text of ['', 'abc', 'héllo', '€', '日本語', '😀', 'a😀b', '\ud800', 'x\udc00y', '\ud800\ud800']) {
    assert.equal(utf8ByteLength(text), Buffer.byteLength(text, 'utf8'), JSON.stringify(text));
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

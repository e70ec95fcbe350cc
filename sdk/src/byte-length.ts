const NON_ASCII = /[^\x00-\x7f]/;

/**
 * UTF-8 byte length of a string without allocating (no `Buffer`, no `TextEncoder`), so
 * the same code runs in browsers and Node. Lone surrogates count as 3 bytes, as
 * `TextEncoder` replaces them with U+FFFD.
 */
export function utf8ByteLength(text: string): number {
  // Events are nearly always ASCII; a native regex scan beats the loop below by far.
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Size in bytes of a message payload as `ws` and browsers accept it: strings (UTF-8),
 * ArrayBuffers, typed arrays and DataViews, Blobs, arrays of buffers (`ws`
 * `binaryType: 'fragments'`) and numbers (sent as their decimal string). Anything else
 * counts as 0 rather than guessing.
 */
export function payloadByteLength(data: unknown): number {
  if (typeof data === 'string') return utf8ByteLength(data);
  if (typeof data === 'number') return String(data).length;
  if (data === null || typeof data !== 'object') return 0;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (typeof SharedArrayBuffer !== 'undefined' && data instanceof SharedArrayBuffer) return data.byteLength;
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  if (Array.isArray(data)) {
    let total = 0;
    for (const part of data) total += ArrayBuffer.isView(part) ? part.byteLength : 0;
    return total;
  }
  return 0;
}

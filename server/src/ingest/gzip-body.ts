import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { HttpError } from '../http/http-error.js';

/** A decompressed body stream that tells fastify how many encoded bytes it consumed. */
type CountedStream = Readable & { receivedEncodedLength: number };

/**
 * fastify `preParsing` step for `Content-Encoding: gzip`. The body limit applies to the
 * decompressed bytes (fastify counts what this stream yields), so a small gzip bomb
 * still gets 413; `receivedEncodedLength` keeps fastify's Content-Length check on
 * the compressed bytes.
 */
export function decodeRequestBody(encodingHeader: string | undefined, payload: Readable): Readable {
  const encoding = (encodingHeader ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return payload;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new HttpError(415, 'UNSUPPORTED_ENCODING', `Content-Encoding "${encoding}" is not supported; send gzip or no encoding`);
  }
  const gunzip = createGunzip();
  const counted = gunzip as unknown as CountedStream;
  counted.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    counted.receivedEncodedLength += chunk.length;
  });
  payload.on('error', (error) => gunzip.destroy(error));
  return payload.pipe(gunzip);
}

/** Real ws servers and clients on loopback, plus a raw TCP client for malformed frames. */
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type ClientOptions, type ServerOptions } from 'ws';

export async function startWss(options: ServerOptions = {}): Promise<{ wss: WebSocketServer; port: number; stop: () => Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  await once(wss, 'listening');
  const port = (wss.address() as AddressInfo).port;
  const stop = async (): Promise<void> => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
  return { wss, port, stop };
}

export async function nextConnection(wss: WebSocketServer): Promise<{ socket: WebSocket; request: IncomingMessage }> {
  const [socket, request] = (await once(wss, 'connection')) as [WebSocket, IncomingMessage];
  return { socket, request };
}

/** Resolves with the code and reason of the socket's 'close' event. */
export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  // Not events.once(): it rejects on the 'error' that ws emits before some closes.
  return new Promise((resolve) => {
    socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') }));
  });
}

/** Resolves after `count` 'message' events. */
export function messages(socket: WebSocket, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onMessage = (): void => {
      if (++seen < count) return;
      socket.off('message', onMessage);
      resolve();
    };
    socket.on('message', onMessage);
  });
}

/** A ws client whose 'open' has fired. */
export async function openClient(url: string, options?: ClientOptions): Promise<WebSocket> {
  const client = new WebSocket(url, options);
  client.on('error', () => {});
  await once(client, 'open');
  return client;
}

/** Completes a WebSocket handshake over a bare TCP socket and returns it. */
export async function rawUpgrade(port: number, path: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  let head = '';
  // One deadline for the whole answer: a server that never completes it fails the test
  // instead of hanging it.
  const deadline = AbortSignal.timeout(5000);
  while (!head.includes('\r\n\r\n')) {
    const [chunk] = (await once(socket, 'data', { signal: deadline }).catch(() => {
      socket.destroy();
      throw new Error(`no complete handshake answer within 5000 ms, got ${JSON.stringify(head)}`);
    })) as [Buffer];
    head += chunk.toString('latin1');
  }
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`handshake failed: ${head.split('\r\n')[0]}`);
  socket.on('error', () => {});
  return socket;
}

/** One masked client frame (FIN set) with a payload under 126 bytes. */
export function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, body]);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

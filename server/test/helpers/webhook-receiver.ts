import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on loopback that takes JSON webhooks (204) and keeps their bodies in order. */
export interface WebhookReceiver<T> {
  url: string;
  received: T[];
  close(): Promise<void>;
}

export async function startWebhookReceiver<T = unknown>(): Promise<WebhookReceiver<T>> {
  const received: T[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(text) as T);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

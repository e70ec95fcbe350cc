import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';

import { breakdownFixture, categoryTimeseriesFixture, eventsFixture, lifetimesFixture, reasonsFixture, summaryFixture } from './fixtures';

/** Data set with setQueryData stays fresh, so nothing is fetched behind the test's back. */
export function createTestQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY, gcTime: Number.POSITIVE_INFINITY, retry: false } },
  });
}

export function renderWithClient(ui: ReactElement, client: QueryClient = createTestQueryClient()): RenderResult & { client: QueryClient } {
  return { ...render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>), client };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** What a collector holding the default fixtures answers to a read of `path`; 404 for anything else. */
export function readAnswer(path: string): Response {
  switch (path) {
    case '/api/v1/stats/summary':
      return jsonResponse(summaryFixture());
    case '/api/v1/stats/timeseries':
      return jsonResponse(categoryTimeseriesFixture());
    case '/api/v1/stats/reasons':
      return jsonResponse(reasonsFixture());
    case '/api/v1/stats/breakdown':
      return jsonResponse(breakdownFixture());
    case '/api/v1/stats/lifetimes':
      return jsonResponse(lifetimesFixture());
    case '/api/v1/events':
      return jsonResponse(eventsFixture(3, null, 100));
    case '/api/v1/alerts':
      return jsonResponse({ active: [], history: [] });
    case '/api/v1/codes':
      return jsonResponse({ codes: [] });
    default:
      return jsonResponse({ error: { code: 'NOT_FOUND', message: `no route ${path}` } }, 404);
  }
}

/** One request the dashboard made, as the collector would read it. */
export interface FetchCall {
  method: string;
  path: string;
  /** The query string, with its `?`, or ''. */
  search: string;
  headers: Record<string, string>;
  /** The JSON body, parsed; undefined without one. */
  body: unknown;
}

/** Replaces fetch with `answer`; returns every call made, in order. */
export function stubFetch(answer: (call: FetchCall) => Response | Promise<Response>): FetchCall[] {
  const calls: FetchCall[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), window.location.origin);
      const call: FetchCall = {
        method: init?.method ?? 'GET',
        path: url.pathname,
        search: url.search,
        headers: { ...(init?.headers as Record<string, string> | undefined) },
        body: init?.body === undefined || init.body === null ? undefined : (JSON.parse(String(init.body)) as unknown),
      };
      calls.push(call);
      return answer(call);
    }),
  );
  return calls;
}

/** A WebSocket double for the one network boundary jsdom cannot serve. */
export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeWebSocket[] = [];

  readyState = FakeWebSocket.CONNECTING;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closedWith: { code?: number; reason?: string } | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  static latest(): FakeWebSocket {
    const ws = FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
    if (!ws) throw new Error('no WebSocket was opened');
    return ws;
  }

  /** The server accepts and says hello. */
  open(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.();
    this.send({ type: 'hello', serverTime: Date.now(), tickMs: 1000 });
  }

  /** A message from the server. */
  send(message: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) }));
  }

  /** The server (or the network) ends the connection. */
  drop(code = 1006, reason = ''): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.(new CloseEvent('close', { code, reason }));
  }

  close(code?: number, reason?: string): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.closedWith = { ...(code !== undefined ? { code } : {}), ...(reason !== undefined ? { reason } : {}) };
  }
}

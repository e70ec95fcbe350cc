import { describe, expect, it, vi } from 'vitest';

import { ApiError, apiGet, apiRequest, errorHint, isNotSignedIn } from '@/lib/api-client';

import { jsonResponse } from '../test-utils';

describe('api client', () => {
  it('returns the JSON body and sends the query string', async () => {
    const fetchMock = vi.fn(async (_input: RequestInfo | URL) => jsonResponse({ total: 3 }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(apiGet('/api/v1/stats/summary', new URLSearchParams({ from: '1', to: '2' }))).resolves.toEqual({ total: 3 });
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/v1/stats/summary?from=1&to=2');
  });

  it("turns { error: { code, message } } into an Error with the server's message", async () => {
    const message = 'querystring/from: must be RFC 3339 or epoch milliseconds; for example 2026-11-26T10:00:00Z';
    vi.stubGlobal('fetch', async () => jsonResponse({ error: { code: 'INVALID_QUERY', message } }, 400));
    const error = await apiGet('/api/v1/stats/summary').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ message, code: 'INVALID_QUERY', status: 400 });
    expect(errorHint(error)).toBe('A filter in the URL was rejected: fix it in the filter bar or clear the filters.');
  });

  it('says the collector is unreachable when the network fails, and what to do', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await apiGet('/api/v1/stats/summary').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      message: 'Cannot reach the collector at http://localhost:3000: is `npm start` running?',
      code: 'UNREACHABLE',
      status: 0,
    });
  });

  it('treats a dev-proxy 502 without a JSON error as an unreachable collector', async () => {
    vi.stubGlobal('fetch', async () => new Response('', { status: 502 }));
    await expect(apiGet('/api/v1/events')).rejects.toMatchObject({
      message: 'Cannot reach the collector at http://localhost:3000: is `npm start` running?',
      code: 'UNREACHABLE',
      status: 0,
    });
  });

  it('reports other statuses and non-JSON answers plainly', async () => {
    vi.stubGlobal('fetch', async () => new Response('oops', { status: 500, statusText: 'Internal Server Error' }));
    await expect(apiGet('/api/v1/events')).rejects.toMatchObject({
      message: 'The collector answered 500 Internal Server Error for /api/v1/events',
      code: 'HTTP_500',
      status: 500,
    });
    vi.stubGlobal('fetch', async () => new Response('<!doctype html>', { status: 200 }));
    await expect(apiGet('/api/v1/events')).rejects.toMatchObject({
      message: '/api/v1/events did not answer JSON: is http://localhost:3000 a closewatch collector?',
      code: 'BAD_RESPONSE',
      status: 200,
    });
  });

  it('lets aborts through untouched', async () => {
    const abort = new DOMException('aborted', 'AbortError');
    vi.stubGlobal('fetch', async () => {
      throw abort;
    });
    await expect(apiGet('/api/v1/events')).rejects.toBe(abort);
  });

  it('sends a JSON body with its method, and reads 204 as no content', async () => {
    const fetchMock = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => jsonResponse({ signedIn: true, auth: 'password', expiresAt: 5 }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(apiRequest('/api/v1/session', { method: 'POST', body: { password: 'p' } })).resolves.toEqual({ signedIn: true, auth: 'password', expiresAt: 5 });
    expect(fetchMock.mock.calls).toEqual([
      ['/api/v1/session', { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: '{"password":"p"}' }],
    ]);
    vi.stubGlobal('fetch', async () => new Response(null, { status: 204 }));
    await expect(apiRequest('/api/v1/session', { method: 'DELETE' })).resolves.toBeUndefined();
  });

  it('carries Retry-After in seconds, and tells a missing session from other refusals', async () => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'too many requests: at most 10 per minute; retry in 37 s' } }), {
          status: 429,
          headers: { 'retry-after': '37' },
        }),
    );
    await expect(apiRequest('/api/v1/session', { method: 'POST', body: { password: 'p' } })).rejects.toMatchObject({
      message: 'too many requests: at most 10 per minute; retry in 37 s',
      code: 'RATE_LIMITED',
      status: 429,
      retryAfterSeconds: 37,
    });
    expect(isNotSignedIn(new ApiError('this needs a credential', 'NOT_SIGNED_IN', 401))).toBe(true);
    expect(isNotSignedIn(new ApiError('this token is unknown or revoked', 'UNKNOWN_TOKEN', 401))).toBe(false);
    expect(isNotSignedIn(new ApiError('the password is wrong', 'WRONG_PASSWORD', 401))).toBe(false);
    expect(errorHint(new ApiError('this needs a credential', 'NOT_SIGNED_IN', 401))).toBe('Sign in again: the dashboard is taking you to the sign-in page.');
  });
});

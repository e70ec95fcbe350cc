import type { ApiErrorBody } from '@closewatch/server/api-types';

import { env } from '@/config/env';

/** An error the dashboard can explain: what went wrong and what the operator can do. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    /** The collector's error code, or one of ours: UNREACHABLE, BAD_RESPONSE, HTTP_<status>. */
    readonly code: string,
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    /** Seconds the collector asked to wait before trying again (Retry-After), when it said. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** The collector's answer to a read without a (valid) session: the dashboard sends the reader to sign in. */
export const NOT_SIGNED_IN = 'NOT_SIGNED_IN';

export function isNotSignedIn(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code === NOT_SIGNED_IN;
}

/** Where API calls go, as a human should read it in an error message. */
export function collectorLabel(): string {
  if (env.collectorUrl) return env.collectorUrl;
  if (env.devProxyTarget) return env.devProxyTarget;
  return window.location.origin;
}

/** Absolute base the API lives under ('' keeps requests same-origin). */
export function collectorBase(): string {
  return env.collectorUrl;
}

export function unreachableError(): ApiError {
  return new ApiError(
    `Cannot reach the collector at ${collectorLabel()}: is \`npm start\` running?`,
    'UNREACHABLE',
    0,
  );
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/** Lines an operator can act on, per kind of failure. */
export function errorHint(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Reload the page; if it persists, check the browser console.';
  if (error.code === 'UNREACHABLE') {
    return 'Start the collector with `npm start` (or `npm run dev`); with live updates on, this page reloads its data as soon as the collector answers.';
  }
  if (error.code === 'INVALID_QUERY' || error.status === 400) {
    return 'A filter in the URL was rejected: fix it in the filter bar or clear the filters.';
  }
  if (isNotSignedIn(error)) return 'Sign in again: the dashboard is taking you to the sign-in page.';
  if (error.status === 401 || error.status === 403) return 'The collector refused the read: check its access settings.';
  if (error.code === 'BAD_RESPONSE' || error.status === 404) {
    return 'The collector does not serve this endpoint: check that dashboard and collector are the same version.';
  }
  if (error.status >= 500) return 'The collector failed to answer: its logs say why.';
  return 'Check the collector logs for details.';
}

/** Lines an operator can act on when a change (save, delete, send) was refused. */
export function changeErrorHint(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Try again; if it persists, check the browser console.';
  if (error.code === 'UNREACHABLE') return 'Start the collector with `npm start`, then try again.';
  if (isNotSignedIn(error)) return 'Changes need a signed-in session: the dashboard is taking you to the sign-in page.';
  if (error.status === 401 || error.status === 403) {
    return 'Changes need the signed-in admin session of this dashboard (read tokens only read): sign out and sign in with the admin password.';
  }
  if (error.status === 400) return 'Fix the field the message names and try again; nothing was changed.';
  if (error.status === 404) return 'It no longer exists (deleted meanwhile?): the list has been refreshed.';
  if (error.status >= 500) return 'The collector failed to make the change; its logs say why. Nothing was half written: try again.';
  return 'Check the collector logs for details.';
}

/** Retry-After in seconds (the collector sends delay-seconds); null when absent or an HTTP date. */
function retryAfterSeconds(response: Response): number | null {
  const value = response.headers.get('retry-after');
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  params?: URLSearchParams | undefined;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/**
 * Calls the collector and returns its JSON answer (`undefined` for 204 No Content).
 * Turns `{ error: { code, message } }` bodies into an ApiError carrying that message,
 * and a collector that is down into one that says so (a dev proxy with no target
 * answers 502/503/504). The session cookie goes along: the dashboard is same-origin.
 */
export async function apiRequest<T>(path: string, { method = 'GET', params, body, signal }: ApiRequest = {}): Promise<T> {
  const query = params && params.size > 0 ? `?${params.toString()}` : '';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${collectorBase()}${path}${query}`, {
      headers,
      ...(method !== 'GET' ? { method } : {}),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw unreachableError();
  }

  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }

  if (!response.ok) {
    if (isErrorBody(parsed)) throw new ApiError(parsed.error.message, parsed.error.code, response.status, retryAfterSeconds(response));
    if (response.status === 502 || response.status === 503 || response.status === 504) throw unreachableError();
    throw new ApiError(
      `The collector answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for ${path}`,
      `HTTP_${response.status}`,
      response.status,
      retryAfterSeconds(response),
    );
  }
  if (response.status === 204) return undefined as T;
  if (parsed === undefined) {
    throw new ApiError(
      `${path} did not answer JSON: is ${collectorLabel()} a closewatch collector?`,
      'BAD_RESPONSE',
      response.status,
    );
  }
  return parsed as T;
}

/** GET a JSON document from the collector (see apiRequest). */
export function apiGet<T>(path: string, params?: URLSearchParams, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>(path, { params, signal });
}

/**
 * Environment, parsed in exactly one place so a bad value fails loudly at start-up
 * instead of as a confusing network error later.
 */
export interface Env {
  /** Collector base URL without a trailing slash; '' means the dashboard's own origin. */
  collectorUrl: string;
  /** In dev: the collector behind the Vite proxy, for error messages only. */
  devProxyTarget: string;
}

function normalizeUrl(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error(`${name} must be a string`);
  const trimmed = value.trim();
  if (trimmed === '') return '';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL such as http://127.0.0.1:8080, got "${trimmed}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} must use http or https, got "${trimmed}"`);
  }
  return trimmed.replace(/\/+$/, '');
}

export function parseEnv(source: Record<string, unknown>): Env {
  return {
    collectorUrl: normalizeUrl('VITE_COLLECTOR_URL', source.VITE_COLLECTOR_URL),
    devProxyTarget: normalizeUrl('VITE_DEV_PROXY_TARGET', source.VITE_DEV_PROXY_TARGET),
  };
}

export const env: Env = parseEnv(import.meta.env);

import { matchRoute, ROUTES } from '@/config/paths';

/** A base no real page has: a `next` that resolves to another origin is not one of ours. */
const BASE = 'http://closewatch.invalid';

/**
 * Where to go after signing in: `next` when it is a path of this dashboard (same
 * origin, relative, starting with one `/`), else the overview. Never another origin
 * (`//evil.example`, `/\evil.example`, `https://...`, `javascript:`), never the sign-in
 * page itself. The result is the URL parser's own form of the path, query and hash.
 */
export function safeNextPath(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return ROUTES.overview;
  // Tabs and newlines are dropped by the URL parser: `/\t/evil.example` would become `//evil.example`.
  if (/[\u0000-\u001f\u007f]/.test(next)) return ROUTES.overview;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return ROUTES.overview;
  }
  if (url.origin !== BASE || matchRoute(url.pathname) === 'signIn') return ROUTES.overview;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, remembering where the reader wanted to go (`wanted` is a path and query). */
export function signInPath(wanted: string): string {
  const next = safeNextPath(wanted);
  return next === ROUTES.overview ? ROUTES.signIn : `${ROUTES.signIn}?next=${encodeURIComponent(next)}`;
}

/**
 * `@closewatch/sdk/user-agent-family`: the `clientAgent` of an event, a user-agent
 * string reduced to its family and major version (`Chrome 131`, `Python websockets 13`,
 * `okhttp 4`), shared by the Node SDK (the upgrade request's `User-Agent`), the browser
 * SDK (`navigator.userAgent`) and the collector. Families, not full strings: a full
 * user agent is close to a fingerprint, and one row per browser build would split every
 * population of clients into noise.
 *
 * Pure and without Node modules, so it runs in browsers too.
 */
import { EVENT_LIMITS } from './event-limits.js';

/** What an unrecognised or missing user agent becomes. */
export const OTHER_AGENT = 'other';

/** Browser tokens, checked in this order: Edge and Opera also say Chrome, Chrome also says Safari. */
const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:Edg|EdgA|EdgiOS|Edge)\/(\d+)/, 'Edge'],
  [/\b(?:OPR|OPT)\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\bElectron\/(\d+)/, 'Electron'],
  [/\bHeadlessChrome\/(\d+)/, 'HeadlessChrome'],
  [/\b(?:Chrome|CriOS)\/(\d+)/, 'Chrome'],
  [/\bChromium\/(\d+)/, 'Chromium'],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/\bVersion\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];

/** `name/version` at the start of a user agent (RFC 9110 product token). */
const FIRST_PRODUCT = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:\/([^\s;()]*))?/;
/** A product token after the first one: Python clients put their library second. */
const SECOND_PRODUCT = /^\s+([A-Za-z0-9!#$%&'*+.^_`|~-]+)\/([^\s;()]*)/;

function major(version: string | undefined): string | undefined {
  const digits = version === undefined ? null : /^\d+/.exec(version);
  // Leading zeros dropped (`04` -> `4`); a run of digits too long for a version is none.
  return digits === null || digits[0].length > 9 ? undefined : String(Number(digits[0]));
}

function named(name: string, version: string | undefined): string {
  const m = major(version);
  const family = m === undefined ? name : `${name} ${m}`;
  return family.length > EVENT_LIMITS.clientAgentLength ? family.slice(0, EVENT_LIMITS.clientAgentLength) : family;
}

/**
 * The family and major version of a user agent: `Chrome 131`, `Firefox 133`,
 * `Safari 17`, `Edge 131`, `Python websockets 13`, `okhttp 4`, `Go-http-client 1`,
 * `ws 8`; else the first product token with its major version (`curl 8`), or `'other'`
 * (no user agent, a browser-like one of no known browser, or no product token at all).
 * At most 64 characters.
 */
export function userAgentFamily(userAgent: string | undefined | null): string {
  if (typeof userAgent !== 'string') return OTHER_AGENT;
  const ua = userAgent.trim();
  if (ua === '') return OTHER_AGENT;
  if (ua.startsWith('Mozilla/')) {
    for (const [pattern, name] of BROWSERS) {
      const match = pattern.exec(ua);
      if (match !== null) return named(name, match[1]);
    }
    // Crawlers and unknown browsers all claim Mozilla/5.0: that says nothing.
    return OTHER_AGENT;
  }
  const first = FIRST_PRODUCT.exec(ua);
  if (first === null) return OTHER_AGENT;
  const [whole, name, version] = first as unknown as [string, string, string | undefined];
  if (name === 'Python') {
    const library = SECOND_PRODUCT.exec(ua.slice(whole.length));
    if (library !== null) return named(`Python ${library[1] as string}`, library[2]);
  }
  return named(name, version);
}

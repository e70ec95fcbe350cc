/**
 * The route an event gets when no `route` option says otherwise, shared by the Node and
 * browser SDKs: the URL path without query string and fragment, with the segments that
 * look like ids replaced by `:id`, so that `/rooms/123?token=abc` and `/rooms/456` are
 * one route, and tokens in paths never reach the collector.
 *
 * A segment is an id when it is
 * - all digits (`123`);
 * - a UUID, or hex of 8 or more characters (`9f86d081`, a Mongo ObjectId, a hash);
 * - 20 or more characters of `A-Z a-z 0-9 - _ . ~ = + %` that mix letters and digits, or
 *   mix upper and lower case evenly enough to look random (base64url tokens). Slugs
 *   (`very-long-lowercase-route-name`) and camelCase names stay.
 *
 * This runs for every connection: one pass over the characters, and no string is built
 * unless a segment is replaced.
 */

/** What an id segment becomes. */
export const ID_SEGMENT = ':id';

const SLASH = 47;
const QUESTION = 63;
const HASH = 35;
/** Long-token threshold, in characters. */
const TOKEN_LENGTH = 20;
const HEX_LENGTH = 8;
const UUID_LENGTH = 36;

function isUuidDash(path: string, from: number): boolean {
  return path.charCodeAt(from + 8) === 45 && path.charCodeAt(from + 13) === 45 && path.charCodeAt(from + 18) === 45 && path.charCodeAt(from + 23) === 45;
}

/** Whether `path[from, to)` (one segment, not empty) is an id; see the module comment. */
function isIdSegment(path: string, from: number, to: number): boolean {
  const length = to - from;
  let digits = 0;
  let lower = 0;
  let upper = 0;
  let hexLetters = 0;
  let dashes = 0;
  for (let i = from; i < to; i++) {
    const c = path.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 97 && c <= 122) {
      lower++;
      if (c <= 102) hexLetters++;
    } else if (c >= 65 && c <= 90) {
      upper++;
      if (c <= 70) hexLetters++;
    } else if (c === 45) dashes++;
    // _ . ~ = + %: still token characters (base64, base64url, JWT, percent-encoding).
    else if (c !== 95 && c !== 46 && c !== 126 && c !== 61 && c !== 43 && c !== 37) return false;
  }
  if (digits === length) return true;
  const hex = digits + hexLetters;
  if (hex === length) return length >= HEX_LENGTH;
  if (length === UUID_LENGTH && dashes === 4 && hex === 32 && isUuidDash(path, from)) return true;
  if (length < TOKEN_LENGTH) return false;
  if (digits > 0 && lower + upper > 0) return true;
  // Random base64 letters are about half upper case; camelCase words have a capital
  // every word, well under a quarter of their letters.
  const letters = lower + upper;
  return upper * 4 >= letters && lower * 4 >= letters;
}

/**
 * The default route of a request target or socket URL: a path (`/rooms/123?x=1`) or an
 * absolute URL (`wss://host/rooms/123`, or an absolute-form request target behind a
 * proxy). Returns undefined when `target` is neither.
 */
export function defaultRoute(target: string): string | undefined {
  const length = target.length;
  let start = 0;
  if (target.charCodeAt(0) !== SLASH) {
    const scheme = target.indexOf('://');
    if (scheme <= 0) return undefined;
    start = scheme + 3;
    // The authority ends at the first '/', '?' or '#'; without a '/' the path is empty.
    while (start < length) {
      const c = target.charCodeAt(start);
      if (c === SLASH || c === QUESTION || c === HASH) break;
      start++;
    }
    if (start === length || target.charCodeAt(start) !== SLASH) return '/';
  }
  let end = start + 1;
  while (end < length) {
    const c = target.charCodeAt(end);
    if (c === QUESTION || c === HASH) break;
    end++;
  }
  let out: string | undefined;
  let copied = start;
  let segment = start + 1;
  for (let i = segment; i <= end; i++) {
    if (i < end && target.charCodeAt(i) !== SLASH) continue;
    if (i > segment && isIdSegment(target, segment, i)) {
      out = (out ?? '') + target.slice(copied, segment) + ID_SEGMENT;
      copied = i;
    }
    segment = i + 1;
  }
  if (out === undefined) return start === 0 && end === length ? target : target.slice(start, end);
  return out + target.slice(copied, end);
}

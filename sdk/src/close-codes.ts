/**
 * The close-code registry: the single source of truth for what every WebSocket
 * close code means. The collector, the dashboard and the SDKs all read it.
 *
 * Names follow the IANA "WebSocket Close Code Number Registry"; short names are the
 * variants of the Rust `ws` crate's `CloseCode` enum (Normal, Away, Error, Again...),
 * which is the vocabulary our users speak. Codes the enum has no variant for are
 * `Other`, as the enum itself calls them; the absence of a code is `Empty`.
 */

/** How an operator should read a close. The order is the display order. */
export const CLOSE_CATEGORIES = [
  'normal',
  'going-away',
  'abnormal',
  'client-error',
  'server-error',
  'overload',
  'tls',
  'application',
  'reserved',
  'invalid',
] as const;

export type CloseCategory = (typeof CLOSE_CATEGORIES)[number];

/** Human labels of the categories. */
export const CATEGORY_LABELS: Readonly<Record<CloseCategory, string>> = {
  normal: 'Normal',
  'going-away': 'Going away',
  abnormal: 'Abnormal (no close frame)',
  'client-error': 'Protocol / client error',
  'server-error': 'Server error',
  overload: 'Overload / restart',
  tls: 'TLS',
  application: 'Application',
  reserved: 'Reserved',
  invalid: 'Invalid',
};

/** Which part of the code space a code belongs to (RFC 6455 section 7.4.2). */
export type CloseCodeRange =
  | 'none'
  | 'unused'
  | 'standard'
  | 'protocol-reserved'
  | 'registered'
  | 'private'
  | 'invalid';

/** Who typically sends the code; `local` codes are never sent, only observed. */
export type CloseSender = 'server' | 'client' | 'either' | 'local' | 'nobody';

export interface CloseCodeInfo {
  /** The code, or `null` when no code was received. */
  code: number | null;
  /** IANA name, or the name of the range. */
  name: string;
  /** Variant name of the Rust `ws` crate's `CloseCode` enum. */
  shortName: string;
  category: CloseCategory;
  range: CloseCodeRange;
  /** Whether the code may be carried by a close frame on the wire. */
  onWire: boolean;
  sentBy: CloseSender;
  /** One line: what the code means. */
  meaning: string;
  /** One line: what an operator should check when it shows up. */
  hint: string;
  /** Present (true) when the name is a team's own (see CustomCloseCode), absent for the registry's. */
  custom?: true;
  /** Of a team's own code: whether a client should reconnect after it. */
  retry?: boolean;
  /** Of a team's own code: whether it deserves an alert. */
  alertWorthy?: boolean;
}

/** A team's own name for a code of the registered (3000-3999) or private (4000-4999) range. */
export interface CustomCloseCode {
  name: string;
  /** One line: what the code means in this application ('' when not given). */
  meaning: string;
  category: CloseCategory;
  retry: boolean;
  alertWorthy: boolean;
}

/** Custom names by code, as the collector serves them (GET /api/v1/codes). */
export type CustomCloseCodes = ReadonlyMap<number, CustomCloseCode>;

/** The codes a team may name: the registered and private ranges. */
export const NAMEABLE_CODE_MIN = 3000;
export const NAMEABLE_CODE_MAX = 4999;

/** Whether `code` may carry a team's own name (3000-4999). */
export function isNameableCode(code: unknown): code is number {
  return typeof code === 'number' && Number.isInteger(code) && code >= NAMEABLE_CODE_MIN && code <= NAMEABLE_CODE_MAX;
}

type StandardEntry = Omit<CloseCodeInfo, 'code' | 'range'>;

const STANDARD: Readonly<Record<number, StandardEntry>> = {
  1000: {
    name: 'Normal Closure',
    shortName: 'Normal',
    category: 'normal',
    onWire: true,
    sentBy: 'either',
    meaning: 'The purpose of the connection was fulfilled and it was closed on purpose.',
    hint: 'Nothing to fix; watch its share - a drop in 1000s usually means a rise in something worse.',
  },
  1001: {
    name: 'Going Away',
    shortName: 'Away',
    category: 'going-away',
    onWire: true,
    sentBy: 'either',
    meaning: 'An endpoint is leaving: a server shutting down or a browser navigating away.',
    hint: 'Expected during deploys and page navigation; a steady stream from servers means instances are restarting.',
  },
  1002: {
    name: 'Protocol Error',
    shortName: 'Protocol',
    category: 'client-error',
    onWire: true,
    sentBy: 'either',
    meaning: 'An endpoint received a frame that violates the WebSocket protocol.',
    hint: 'Check for a proxy rewriting frames, mismatched extensions (permessage-deflate) or a buggy client library version.',
  },
  1003: {
    name: 'Unsupported Data',
    shortName: 'Unsupported',
    category: 'client-error',
    onWire: true,
    sentBy: 'either',
    meaning: 'An endpoint received a type of data it cannot accept (binary where only text is understood).',
    hint: 'Check which client sends binary frames to a text-only endpoint (or the reverse), often after a client release.',
  },
  1004: {
    name: 'Reserved',
    shortName: 'Other',
    category: 'reserved',
    onWire: false,
    sentBy: 'nobody',
    meaning: 'Reserved by RFC 6455; no meaning is defined and endpoints must not send it.',
    hint: 'A peer sending 1004 is non-compliant; find its library and upgrade it.',
  },
  1005: {
    name: 'No Status Received',
    shortName: 'Status',
    category: 'normal',
    onWire: false,
    sentBy: 'local',
    meaning: 'The close frame that arrived carried no status code; reported locally, never sent.',
    hint: 'Usually a clean close by a client calling close() without a code; ask client authors to send 1000.',
  },
  1006: {
    name: 'Abnormal Closure',
    shortName: 'Abnormal',
    category: 'abnormal',
    onWire: false,
    sentBy: 'local',
    meaning: 'The connection dropped without any close frame; reported locally, never sent.',
    hint: 'No close frame arrived: check proxy and load-balancer idle timeouts (look for a lifetime wall), crashed peers, network loss and missing pings.',
  },
  1007: {
    name: 'Invalid Frame Payload Data',
    shortName: 'Invalid',
    category: 'client-error',
    onWire: true,
    sentBy: 'either',
    meaning: 'A message held data inconsistent with its type, such as non-UTF-8 bytes in a text message.',
    hint: 'Check the encoder of the sending side: text frames must be valid UTF-8.',
  },
  1008: {
    name: 'Policy Violation',
    shortName: 'Policy',
    category: 'client-error',
    onWire: true,
    sentBy: 'server',
    meaning: 'A message violated the receiver\'s policy (auth, rate limit, forbidden content).',
    hint: 'Read the reasons: expired tokens, failed auth and rate limits show up here; check the route and recent auth changes.',
  },
  1009: {
    name: 'Message Too Big',
    shortName: 'Size',
    category: 'client-error',
    onWire: true,
    sentBy: 'either',
    meaning: 'A message exceeded what the receiver accepts.',
    hint: 'A message exceeded the receiver\'s max payload (ws `maxPayload`, default 100 MiB): compare payload sizes with the limit on both sides.',
  },
  1010: {
    name: 'Mandatory Extension',
    shortName: 'Extension',
    category: 'client-error',
    onWire: true,
    sentBy: 'client',
    meaning: 'The client expected the server to negotiate an extension it did not.',
    hint: 'Compare the extensions the client requires (listed in the reason) with what the server and proxies negotiate.',
  },
  1011: {
    name: 'Internal Error',
    shortName: 'Error',
    category: 'server-error',
    onWire: true,
    sentBy: 'server',
    meaning: 'The server hit an unexpected condition that prevented it from serving the connection.',
    hint: 'An unhandled error in a message handler: read the server logs around the spike, grouped by route and reason.',
  },
  1012: {
    name: 'Service Restart',
    shortName: 'Restart',
    category: 'overload',
    onWire: true,
    sentBy: 'server',
    meaning: 'The server is restarting; clients may reconnect after a randomized 5-30 s delay.',
    hint: 'Expected during rolling deploys; check clients reconnect with jitter so the restart does not become a thundering herd.',
  },
  1013: {
    name: 'Try Again Later',
    shortName: 'Again',
    category: 'overload',
    onWire: true,
    sentBy: 'server',
    meaning: 'The server is overloaded and shed the connection; clients should retry later or elsewhere.',
    hint: 'The server is shedding load: check capacity, connection limits and autoscaling of the service that sent it.',
  },
  1014: {
    name: 'Bad Gateway',
    shortName: 'Other',
    category: 'server-error',
    onWire: true,
    sentBy: 'server',
    meaning: 'A gateway or proxy received an invalid response from the upstream server.',
    hint: 'Check the upstream behind the gateway: its health, its deploys and the gateway\'s upstream timeouts.',
  },
  1015: {
    name: 'TLS Handshake',
    shortName: 'Tls',
    category: 'tls',
    onWire: false,
    sentBy: 'local',
    meaning: 'The TLS handshake failed (certificate could not be verified); reported locally, never sent.',
    hint: 'Check certificate expiry, the chain served by the proxy and the client\'s trust store.',
  },
};

/**
 * Codes of the IANA registry's 3000-3999 range that every framework meets. They keep the
 * range's category (application), so category filters stay one range per category.
 */
const REGISTERED: Readonly<Record<number, StandardEntry>> = {
  3000: {
    name: 'Unauthorized',
    shortName: 'Other',
    category: 'application',
    onWire: true,
    sentBy: 'server',
    meaning: 'The endpoint refused the connection because the request carried no valid credentials (like HTTP 401).',
    hint: 'Check how clients obtain and refresh their tokens; a rise after a deploy often means an auth configuration change.',
  },
  3003: {
    name: 'Forbidden',
    shortName: 'Other',
    category: 'application',
    onWire: true,
    sentBy: 'server',
    meaning: 'The endpoint understood who the client is but refuses it access (like HTTP 403).',
    hint: 'Check permissions and roles of the clients refused, grouped by route.',
  },
  3008: {
    name: 'Timeout',
    shortName: 'Other',
    category: 'application',
    onWire: true,
    sentBy: 'server',
    meaning: 'The endpoint closed the connection because the client took too long (like HTTP 408).',
    hint: 'Check the server\'s handshake and idle timeouts against how slowly clients send their first message.',
  },
};

const NO_CODE: CloseCodeInfo = Object.freeze({
  code: null,
  name: 'No Code',
  shortName: 'Empty',
  category: 'normal',
  range: 'none',
  onWire: false,
  sentBy: 'nobody',
  meaning: 'The close was observed without any status code.',
  hint: 'The peer closed without a status code; treat like 1005 and ask the sending side to send one.',
});

/** Smallest and largest integer a close code can be (a 16-bit field). */
export const MIN_CLOSE_CODE = 0;
export const MAX_CLOSE_CODE = 65535;

function rangeEntry(code: number): CloseCodeInfo {
  if (code < 1000) {
    return {
      code,
      name: 'Unused',
      shortName: 'Other',
      category: 'invalid',
      range: 'unused',
      onWire: false,
      sentBy: 'nobody',
      meaning: 'Codes 0-999 are not used by RFC 6455 and are invalid in a close frame.',
      hint: 'A peer sending this is broken or not speaking WebSocket; find the client library.',
    };
  }
  if (code < 3000) {
    return {
      code,
      name: 'Reserved for the protocol',
      shortName: 'Other',
      category: 'reserved',
      range: 'protocol-reserved',
      onWire: false,
      sentBy: 'nobody',
      meaning: 'Codes 1016-2999 are reserved for future revisions of the protocol and are not assigned.',
      hint: 'No endpoint should send this today; find the library that does and check its version.',
    };
  }
  if (code < 4000) {
    return {
      code,
      name: 'Registered (library/framework)',
      shortName: 'Other',
      category: 'application',
      range: 'registered',
      onWire: true,
      sentBy: 'either',
      meaning: 'Codes 3000-3999 are registered with IANA for libraries, frameworks and applications.',
      hint: 'Look the code up in the IANA registry or your framework\'s docs (3000 Unauthorized, 3003 Forbidden, 3008 Timeout are common).',
    };
  }
  if (code < 5000) {
    return {
      code,
      name: 'Private (application)',
      shortName: 'Other',
      category: 'application',
      range: 'private',
      onWire: true,
      sentBy: 'either',
      meaning: 'Codes 4000-4999 are private: their meaning is agreed between your own client and server.',
      hint: 'Your application chose this code: read the reason and the route to see which code path sent it.',
    };
  }
  return {
    code,
    name: 'Invalid',
    shortName: 'Other',
    category: 'invalid',
    range: 'invalid',
    onWire: false,
    sentBy: 'nobody',
    meaning: 'Codes 5000 and above are outside every range RFC 6455 defines and invalid in a close frame.',
    hint: 'A peer sending this is broken; check for a client writing arbitrary integers as close codes.',
  };
}

const cache = new Map<number, CloseCodeInfo>();

/**
 * Describes a close code.
 *
 * @param code An integer 0-65535, or `null` (or `undefined`) when no code was received.
 * @param custom A team's own names (default: none); they apply to codes 3000-4999 only.
 * @returns The registry entry (or the team's, marked `custom`); frozen, safe to share.
 * @throws {RangeError} When `code` is not an integer in 0-65535.
 */
export function describeCloseCode(code: number | null | undefined, custom?: CustomCloseCodes): CloseCodeInfo {
  if (code === null || code === undefined) return NO_CODE;
  if (!Number.isInteger(code) || code < MIN_CLOSE_CODE || code > MAX_CLOSE_CODE) {
    throw new RangeError(`close code must be an integer from 0 to 65535 or null, got ${String(code)}`);
  }
  let info = cache.get(code);
  if (info === undefined) {
    const standard = STANDARD[code];
    const registered = REGISTERED[code];
    info = Object.freeze(
      standard
        ? { ...standard, code, range: 'standard' as const }
        : registered
          ? { ...registered, code, range: 'registered' as const }
          : rangeEntry(code),
    );
    if (cache.size < 4096) cache.set(code, info);
  }
  const own = custom === undefined || !isNameableCode(code) ? undefined : custom.get(code);
  if (own === undefined) return info;
  return Object.freeze({
    ...info,
    name: own.name,
    shortName: 'Other',
    category: own.category,
    meaning: own.meaning === '' ? info.meaning : own.meaning,
    custom: true as const,
    retry: own.retry,
    alertWorthy: own.alertWorthy,
  });
}

/**
 * The codes whose server-initiated close advises the client on its next connection:
 * Going Away (1001, reconnect with backoff), Service Restart (1012, reconnect after a
 * randomized delay) and Try Again Later (1013, later or elsewhere).
 */
export const RECONNECT_ADVISING_CODES = Object.freeze([1001, 1012, 1013] as const);

/**
 * The randomized delay (ms) to wait before reconnecting that the registry advises after
 * 1012, and closewatch holds 1013 and 1001 to as well: `from` inclusive, `to` exclusive.
 */
export const ADVISED_RECONNECT_DELAY_MS = Object.freeze({ from: 5_000, to: 30_000 } as const);

/** Whether `code` is an integer a close code can be (0-65535). */
export function isCloseCodeInteger(code: unknown): code is number {
  return typeof code === 'number' && Number.isInteger(code) && code >= MIN_CLOSE_CODE && code <= MAX_CLOSE_CODE;
}

/** The codes that have their own IANA entry (1000-1015), in order. */
export const STANDARD_CODES: readonly number[] = Object.freeze(
  Object.keys(STANDARD).map(Number).sort((a, b) => a - b),
);

/** The registered codes with a name of their own (3000 Unauthorized, 3003 Forbidden, 3008 Timeout), in order. */
export const REGISTERED_CODES: readonly number[] = Object.freeze(
  Object.keys(REGISTERED).map(Number).sort((a, b) => a - b),
);

/**
 * A label for screens and logs: `1011 Internal Error (Error)`, `4001 Private (application)`,
 * `No Code (Empty)`.
 */
export function formatCloseCode(code: number | null | undefined, custom?: CustomCloseCodes): string {
  const info = describeCloseCode(code, custom);
  const head = info.code === null ? info.name : `${info.code} ${info.name}`;
  return info.shortName === 'Other' ? head : `${head} (${info.shortName})`;
}

/**
 * Whether a close counts as abnormal for the abnormal-share figure: no close frame
 * (1006) or a server-side error (1011, 1014).
 */
export function isAbnormalClose(code: number | null | undefined): boolean {
  const category = describeCloseCode(code).category;
  return category === 'abnormal' || category === 'server-error';
}

/**
 * The codes of a category as inclusive integer ranges (for SQL filters), and whether
 * the absence of a code belongs to it. With a team's own names (`custom`, default none),
 * the named codes follow the category the team gave them: `include` lists those moved
 * into this category from outside its ranges, `exclude` those moved out of its ranges.
 */
export function categoryCodeRanges(
  category: CloseCategory,
  custom?: CustomCloseCodes,
): {
  ranges: Array<[number, number]>;
  includesNoCode: boolean;
  include: number[];
  exclude: number[];
} {
  const ranges: Array<[number, number]> = [];
  const push = (lo: number, hi: number): void => {
    const last = ranges[ranges.length - 1];
    if (last && last[1] + 1 === lo) last[1] = hi;
    else ranges.push([lo, hi]);
  };
  // The registry only changes at these boundaries, so one probe per span is exact.
  const spans: Array<[number, number]> = [
    [0, 999],
    ...STANDARD_CODES.map((c): [number, number] => [c, c]),
    [1016, 2999],
    [3000, 3999],
    [4000, 4999],
    [5000, MAX_CLOSE_CODE],
  ];
  for (const [lo, hi] of spans) {
    if (describeCloseCode(lo).category === category) push(lo, hi);
  }
  const include: number[] = [];
  const exclude: number[] = [];
  for (const code of custom?.keys() ?? []) {
    const own = describeCloseCode(code, custom).category;
    const registry = describeCloseCode(code).category;
    if (own === registry) continue;
    if (own === category) include.push(code);
    else if (registry === category) exclude.push(code);
  }
  include.sort((a, b) => a - b);
  exclude.sort((a, b) => a - b);
  return { ranges, includesNoCode: NO_CODE.category === category, include, exclude };
}

/** Whether `value` names a category. */
export function isCloseCategory(value: unknown): value is CloseCategory {
  return typeof value === 'string' && (CLOSE_CATEGORIES as readonly string[]).includes(value);
}

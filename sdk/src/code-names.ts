/**
 * The `codes` option: an application's own close codes (3000-4999) with their names,
 * registered with the collector when the client starts (`PUT /api/v1/codes`), so the
 * dashboard, exports and notifications name them. A name a person set in the dashboard
 * is kept: the collector never lets the SDK overwrite it.
 */
import { isCloseCategory, isNameableCode, CLOSE_CATEGORIES, type CloseCategory } from './close-codes.js';
import { describeThrown, safeReport, ClosewatchError, type ErrorHandler } from './errors.js';
import { backoffDelay, retryAfterDelay } from './delivery/backoff.js';
import { postBatch, type FetchLike } from './delivery/post-batch.js';
import { startTimer, stopTimer, type TimerHandle } from './timers.js';

/** One code as the application describes it. */
export interface CodeDescription {
  /** Short name shown beside the code, 1-64 characters. Required. */
  name: string;
  /** One line: what the code means (at most 200 characters). Default: `''`. */
  meaning?: string;
  /** One of the registry's categories (`CLOSE_CATEGORIES`). Default: `'application'`. */
  category?: CloseCategory;
  /** Whether a client should reconnect after it. Default: `false`. */
  retry?: boolean;
  /** Whether it deserves an alert. Default: `false`. */
  alertWorthy?: boolean;
}

/** `{ 4001: { name: 'Room closed', retry: false } }`: codes 3000-4999 only. */
export type CodeDescriptions = Readonly<Record<number, CodeDescription>>;

/** A code ready to send, defaults applied. */
export interface RegisteredCode extends Required<CodeDescription> {
  code: number;
}

const FIELDS = new Set(['name', 'meaning', 'category', 'retry', 'alertWorthy']);

function bad(code: string, problem: string): never {
  throw new TypeError(`closewatch: option "codes" entry ${code}: ${problem}`);
}

/** Validates the `codes` option (default `{}`); throws `TypeError` naming the bad entry. */
export function codesOption(value: unknown): readonly RegisteredCode[] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError('closewatch: option "codes" must be an object of codes to descriptions, such as { 4001: { name: \'Room closed\' } }');
  }
  const out: RegisteredCode[] = [];
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const code = /^\d+$/.test(key) ? Number(key) : Number.NaN;
    if (!isNameableCode(code)) bad(key, 'only codes 3000-4999 can be named (1000-2999 belong to the WebSocket protocol)');
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) bad(key, 'must be an object such as { name: \'Room closed\' }');
    const entry = raw as Record<string, unknown>;
    for (const field of Object.keys(entry)) if (!FIELDS.has(field)) bad(key, `unknown field "${field}" (known: ${[...FIELDS].join(', ')})`);
    const { name, meaning = '', category = 'application', retry = false, alertWorthy = false } = entry;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 64) bad(key, '"name" must be a string of 1-64 characters');
    if (typeof meaning !== 'string' || meaning.length > 200 || /[\r\n]/.test(meaning)) bad(key, '"meaning" must be one line of at most 200 characters');
    if (!isCloseCategory(category)) bad(key, `"category" must be one of ${CLOSE_CATEGORIES.join(', ')}`);
    if (typeof retry !== 'boolean') bad(key, '"retry" must be a boolean');
    if (typeof alertWorthy !== 'boolean') bad(key, '"alertWorthy" must be a boolean');
    out.push({ code, name: name.trim(), meaning: meaning.trim(), category, retry, alertWorthy });
  }
  return out;
}

export interface RegistrationOptions {
  /** The events endpoint (`<collector>/api/v1/events`); codes go to its sibling `/api/v1/codes`. */
  eventsEndpoint: string;
  apiKey: string;
  codes: readonly RegisteredCode[];
  fetch: FetchLike;
  timeoutMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  onError: ErrorHandler;
  random?: () => number;
}

/**
 * Sends the codes once, retrying like event delivery (network errors, timeouts, 408,
 * 429, 5xx; exponential backoff with jitter, Retry-After honoured) until the collector
 * answers or `stop()`. A refusal (bad key, invalid entry) is reported, not retried.
 */
export class CodeRegistration {
  private timer: TimerHandle | undefined;
  private stopped = false;
  private attempts = 0;
  private readonly body: string;
  private readonly endpoint: string;
  /** Settles once the collector answered for good (or registration stopped). */
  readonly done: Promise<'registered' | 'refused' | 'stopped'>;
  private settle!: (outcome: 'registered' | 'refused' | 'stopped') => void;

  constructor(private readonly options: RegistrationOptions) {
    this.endpoint = options.eventsEndpoint.replace(/\/events$/, '/codes');
    this.body = JSON.stringify({ codes: options.codes });
    this.done = new Promise((resolve) => (this.settle = resolve));
    if (options.codes.length === 0) this.settle('registered');
    else this.timer = startTimer(() => void this.attempt(), 0);
  }

  stop(): void {
    this.stopped = true;
    stopTimer(this.timer);
    this.settle('stopped');
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    const { options } = this;
    try {
      const outcome = await postBatch({ fetch: options.fetch, endpoint: this.endpoint, apiKey: options.apiKey, body: this.body, ids: [], keepalive: false, timeoutMs: options.timeoutMs, method: 'PUT' });
      if (this.stopped) return;
      if (outcome.kind === 'ok') return this.settle('registered');
      if (outcome.kind === 'retry') {
        this.attempts += 1;
        const random = options.random ?? Math.random;
        const delay = outcome.retryAfterMs !== undefined ? retryAfterDelay(outcome.retryAfterMs, random) : backoffDelay(this.attempts, options.retryBaseDelayMs, options.retryMaxDelayMs, random);
        safeReport(options.onError, new ClosewatchError('codes_retry', `registering code names: ${outcome.message}; retrying in ${delay} ms`, { retryInMs: delay, ...(outcome.status === undefined ? {} : { status: outcome.status }) }));
        this.timer = startTimer(() => void this.attempt(), delay);
        return;
      }
      safeReport(options.onError, new ClosewatchError('codes_failed', `registering code names: ${outcome.message}; the codes keep their range's name until this is fixed`, { status: outcome.status }));
      this.settle('refused');
    } catch (error) {
      safeReport(options.onError, new ClosewatchError('internal', `registering code names failed: ${describeThrown(error)}`, { cause: error }));
      this.settle('refused');
    }
  }
}

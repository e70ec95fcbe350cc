import { ADVISED_RECONNECT_DELAY_MS, RECONNECT_ADVISING_CODES } from '@closewatch/sdk/close-codes';

import { CodeBlock } from '@/components/ui/code-block';
import { SDK_SNIPPET } from '@/features/overview/components/first-event-guide';
import { formatDuration } from '@/lib/format';

/** `1001, 1012 or 1013`: the registry's reconnect-advising codes. */
const ADVISING_CODES_OR = `${RECONNECT_ADVISING_CODES.slice(0, -1).join(', ')} or ${RECONNECT_ADVISING_CODES[RECONNECT_ADVISING_CODES.length - 1]}`;
/** `5-30 s`: the registry's advised reconnect delay. */
const ADVISED_WINDOW = `${ADVISED_RECONNECT_DELAY_MS.from / 1_000}-${ADVISED_RECONNECT_DELAY_MS.to / 1_000} s`;

interface ReconnectsEmptyProps {
  windowLabel: string;
  lookaheadMs: number;
  filtered: boolean;
  onClearFilters: () => void;
  onWiden?: (() => void) | undefined;
}

/** No reconnect-advising close in the view: what fills this page, or which filter hides it. */
export function ReconnectsEmpty({ windowLabel, lookaheadMs, filtered, onClearFilters, onWiden }: ReconnectsEmptyProps) {
  const widen = onWiden && (
    <button type="button" className="button" onClick={onWiden}>
      Show the last 7 d
    </button>
  );
  if (filtered) {
    return (
      <div className="empty-hint" data-testid="reconnects-empty" data-reason="filtered">
        <p>
          No server-initiated {ADVISING_CODES_OR} closes match these filters in the {windowLabel}. Clear a filter or widen
          the range.
        </p>
        <p className="row-actions">
          <button type="button" className="button" onClick={onClearFilters}>
            Clear filters
          </button>
          {widen}
        </p>
      </div>
    );
  }
  return (
    <div className="reconnects-empty" data-testid="reconnects-empty" data-reason="none">
      <h3>No server-initiated {ADVISING_CODES_OR} closes in the {windowLabel}</h3>
      <p>
        This page measures what clients do after a server closes them with Going Away (1001), Service Restart (1012) or
        Try Again Later (1013): how long each waited before it came back, whether the waits spread over the advised{' '}
        {ADVISED_WINDOW}, and which clients stormed back at once. A rolling restart fills it.
      </p>
      <ol className="steps">
        <li>
          <p>Instrument your servers with the SDK:</p>
          <CodeBlock label="Node.js (ws)" code={SDK_SNIPPET} />
        </li>
        <li>
          <p>
            Nothing else to set: <code>clientKey</code> is on by default. The SDK sends a salted hash of each client&rsquo;s
            address and user agent with every close (never the address itself), so the collector knows the same client
            when it comes back, on whichever instance it lands.
          </p>
        </li>
        <li>
          <p>
            Restart a server that closes its clients with 1012 (Service Restart) or 1001 (Going Away) on shutdown, as a
            rolling deploy should. Reconnects appear once the clients&rsquo; next connections close: a connection is reported when it closes, and its open time tells how long the client
            waited. Clients not back within {formatDuration(lookaheadMs)} count as not returned.
          </p>
        </li>
        <li>
          <p>
            Or watch it happen: <code>npm run demo</code> runs instrumented servers and clients with rolling restarts.
          </p>
        </li>
      </ol>
      {widen && <p>{widen}</p>}
    </div>
  );
}

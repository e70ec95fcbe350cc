import { useState } from 'react';

import { CodeBlock } from '@/components/ui/code-block';
import { collectorLabel } from '@/lib/api-client';
import { formatCountOf } from '@/lib/format';

export const SDK_SNIPPET = `import { instrument } from '@closewatch/sdk';

// wss: your ws WebSocketServer
instrument(wss, { apiKey: process.env.CLOSEWATCH_INGEST_KEY, service: 'chat' });`;

/** A curl that sends one real event, timestamped now so it lands in the current window. */
export function curlSnippet(collector: string, nowMs: number): string {
  const body = JSON.stringify({
    events: [
      {
        id: 'first-1',
        ts: nowMs,
        code: 1000,
        reason: 'bye',
        wasClean: true,
        initiator: 'server',
        service: 'chat',
        instance: 'local',
        route: '/ws',
      },
    ],
  });
  return `curl -X POST ${collector}/api/v1/events \\
  -H 'authorization: Bearer <key>' \\
  -H 'content-type: application/json' \\
  -d '${body}'`;
}

interface FirstEventGuideProps {
  windowLabel: string;
  /** Closures in the period before: if any, the range is just too short. */
  previousTotal: number;
  live: boolean;
  onWiden?: (() => void) | undefined;
}

/** The empty dashboard: how to get the first closure in, three ways. */
export function FirstEventGuide({ windowLabel, previousTotal, live, onWiden }: FirstEventGuideProps) {
  // Fixed at first render so the snippet does not change under a reader copying it.
  const [now] = useState(() => Date.now());
  return (
    <section className="panel empty-state" data-testid="empty-state">
      <h2>{previousTotal === 0 ? 'No closures recorded yet' : `No closures in the ${windowLabel}`}</h2>
      {previousTotal > 0 ? (
        <p>
          There were {formatCountOf(previousTotal, 'closures')} in the period before.{' '}
          {onWiden && (
            <button type="button" className="button" onClick={onWiden}>
              Show the last 7 d
            </button>
          )}
        </p>
      ) : (
        <p>
          closewatch records one event per closed WebSocket connection: its close code, reason, who closed it and how
          long it lived. Send a first one and this page fills in{' '}
          {live ? 'within a second (live updates are on).' : 'when you reload (or turn live updates on).'}
        </p>
      )}
      <ol className="steps">
        <li>
          <p>
            Create an ingest key with <code>npm run keys -- create --name my-app</code> and export the secret it prints
            as <code>CLOSEWATCH_INGEST_KEY</code>.
          </p>
        </li>
        <li>
          <p>Instrument your ws server with the SDK:</p>
          <CodeBlock label="Node.js (ws)" code={SDK_SNIPPET} />
        </li>
        <li>
          <p>Or send one event by hand:</p>
          <CodeBlock label="curl" code={curlSnippet(collectorLabel(), now)} />
        </li>
        <li>
          <p>
            Or watch realistic traffic: <code>npm run demo</code> runs SDK-instrumented ws servers and clients with a
            realistic mix of closes, rolling restarts and spikes.
          </p>
        </li>
      </ol>
    </section>
  );
}

import { formatCloseCode, isCloseCodeInteger } from '@closewatch/sdk/close-codes';
import { useEffect, useState } from 'react';

import { useCustomCodeNames } from '@/lib/code-names';

import type { LiveStatus } from '../use-live-feed';

function useSecondsUntil(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

const TEXT = { live: 'Live', paused: 'Paused', connecting: 'Connecting…' } as const;

interface LiveStatusIndicatorProps {
  status: LiveStatus;
  onToggle: () => void;
}

/** "Live" / "Reconnecting in 4 s" / "Paused", and the switch to pause or resume. */
export function LiveStatusIndicator({ status, onToggle }: LiveStatusIndicatorProps) {
  const names = useCustomCodeNames();
  const seconds = useSecondsUntil(status.state === 'reconnecting' ? status.retryAt : null);
  const text =
    status.state === 'reconnecting'
      ? seconds > 0
        ? `Reconnecting in ${seconds} s`
        : 'Reconnecting…'
      : TEXT[status.state];
  let title = 'Live updates are paused; numbers refresh when you change the view or return to the tab.';
  if (status.state === 'live') title = 'Connected to the live feed: numbers update every second.';
  if (status.state === 'connecting') title = 'Connecting to the live feed…';
  if (status.state === 'reconnecting') {
    const close = status.lastClose;
    const how = close && isCloseCodeInteger(close.code) ? ` (last close: ${formatCloseCode(close.code, names)}${close.reason ? `, "${close.reason}"` : ''})` : '';
    title = `Lost the live feed${how}. Is the collector running (\`npm start\`)? Retrying with backoff.`;
  }
  const paused = status.state === 'paused';
  return (
    <div className="live">
      <span className="live-status" data-testid="live-status" data-state={status.state} title={title}>
        <span className="live-dot" aria-hidden="true" />
        {text}
      </span>
      <button type="button" className="button button-small" onClick={onToggle} data-testid="live-toggle" aria-pressed={!paused}>
        {paused ? 'Resume' : 'Pause'}
      </button>
    </div>
  );
}

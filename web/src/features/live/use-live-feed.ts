import type { AlertEvent, LiveTick } from '@closewatch/server/api-types';
import { useEffect, useRef, useState } from 'react';

import { backoffDelay } from './lib/backoff';
import { parseLiveMessage } from './lib/parse-message';

export type LiveStatus =
  | { state: 'paused' }
  | { state: 'connecting' }
  | { state: 'live' }
  | {
      state: 'reconnecting';
      /** Epoch ms of the next attempt. */
      retryAt: number;
      /** How the last connection ended, for the tooltip. */
      lastClose: { code: number; reason: string } | null;
    };

export interface LiveFeedOptions {
  enabled: boolean;
  url: string;
  onTick: (tick: LiveTick) => void;
  /** An alert instance changed (pending, firing, resolved): sent at once, not with the ticks. */
  onAlert?: (alert: AlertEvent) => void;
  /** The team's code names changed (GET /api/v1/codes has new ones). */
  onCodes?: () => void;
  /** Called on every (re)connection; `afterOutage` when an earlier one had dropped. */
  onConnected?: (afterOutage: boolean) => void;
  /**
   * Called when an attempt ends before the collector said hello (refused or unreachable),
   * with the number of such attempts in a row. A browser cannot read why an upgrade was
   * refused; the caller can ask (for example whether the session ended).
   */
  onFailure?: (failuresInARow: number) => void;
}

/**
 * Connects to the collector's live feed and keeps it connected: reconnects with
 * exponential backoff (1 s .. 30 s, jittered) and reconnects at once when the URL
 * (the filters) changes. Callbacks are read through refs so a re-render does not
 * tear the socket down.
 */
export function useLiveFeed({ enabled, url, onTick, onAlert, onCodes, onConnected, onFailure }: LiveFeedOptions): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>(enabled ? { state: 'connecting' } : { state: 'paused' });
  const onTickRef = useRef(onTick);
  const onAlertRef = useRef(onAlert);
  const onCodesRef = useRef(onCodes);
  const onConnectedRef = useRef(onConnected);
  const onFailureRef = useRef(onFailure);
  useEffect(() => {
    onTickRef.current = onTick;
    onAlertRef.current = onAlert;
    onCodesRef.current = onCodes;
    onConnectedRef.current = onConnected;
    onFailureRef.current = onFailure;
  });

  useEffect(() => {
    if (!enabled) {
      setStatus({ state: 'paused' });
      return;
    }
    let disposed = false;
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let hadOutage = false;
    let failures = 0;

    const scheduleReconnect = (lastClose: { code: number; reason: string } | null) => {
      const delay = backoffDelay(attempt);
      attempt += 1;
      hadOutage = true;
      setStatus({ state: 'reconnecting', retryAt: Date.now() + delay, lastClose });
      timer = setTimeout(connect, delay);
    };

    function connect() {
      if (disposed) return;
      setStatus((current) => (current.state === 'reconnecting' ? current : { state: 'connecting' }));
      let ws: WebSocket;
      try {
        ws = new WebSocket(url);
      } catch {
        scheduleReconnect(null);
        return;
      }
      socket = ws;
      let greeted = false;
      ws.onmessage = (event: MessageEvent) => {
        const message = parseLiveMessage(event.data);
        if (message === null) return;
        if (message.type === 'hello') {
          // Only a server that speaks resets the backoff: one that accepts and then
          // drops every connection must not be hammered once a second.
          attempt = 0;
          failures = 0;
          greeted = true;
          setStatus({ state: 'live' });
          onConnectedRef.current?.(hadOutage);
          hadOutage = false;
          return;
        }
        if (message.type === 'alert') {
          onAlertRef.current?.(message);
          return;
        }
        if (message.type === 'codes') {
          onCodesRef.current?.();
          return;
        }
        if (message.type !== 'tick') return;
        setStatus((current) => (current.state === 'live' ? current : { state: 'live' }));
        onTickRef.current(message);
      };
      ws.onclose = (event: CloseEvent) => {
        if (disposed || socket !== ws) return;
        socket = null;
        scheduleReconnect({ code: event.code, reason: event.reason });
        if (!greeted) {
          failures += 1;
          onFailureRef.current?.(failures);
        }
      };
    }

    connect();
    return () => {
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
      if (socket) {
        const leaving = socket;
        leaving.onclose = null;
        leaving.onmessage = null;
        // 1000: the dashboard left on purpose; the collector should not log it as an error.
        // A socket still connecting is closed once open: aborting the handshake breaks
        // the connection under the server (and a dev proxy logs EPIPE for it).
        if (leaving.readyState === WebSocket.OPEN) leaving.close(1000, 'view changed');
        else if (leaving.readyState === WebSocket.CONNECTING) leaving.onopen = () => leaving.close(1000, 'view changed');
      }
    };
  }, [enabled, url]);

  return status;
}

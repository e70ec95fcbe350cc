import { useEffect, useRef, useState } from 'react';

import type { LiveTick } from '@/types/api';

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
  /** Called on every (re)connection; `afterOutage` when an earlier one had dropped. */
  onConnected?: (afterOutage: boolean) => void;
}

/**
 * Connects to the collector's live feed and keeps it connected: reconnects with
 * exponential backoff (1 s .. 30 s, jittered) and reconnects at once when the URL
 * (the filters) changes. Callbacks are read through refs so a re-render does not
 * tear the socket down.
 */
export function useLiveFeed({ enabled, url, onTick, onConnected }: LiveFeedOptions): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>(enabled ? { state: 'connecting' } : { state: 'paused' });
  const onTickRef = useRef(onTick);
  const onConnectedRef = useRef(onConnected);
  useEffect(() => {
    onTickRef.current = onTick;
    onConnectedRef.current = onConnected;
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
      ws.onmessage = (event: MessageEvent) => {
        const message = parseLiveMessage(event.data);
        if (message === null) return;
        if (message.type === 'hello') {
          // Only a server that speaks resets the backoff: one that accepts and then
          // drops every connection must not be hammered once a second.
          attempt = 0;
          setStatus({ state: 'live' });
          onConnectedRef.current?.(hadOutage);
          hadOutage = false;
          return;
        }
        setStatus((current) => (current.state === 'live' ? current : { state: 'live' }));
        onTickRef.current(message);
      };
      ws.onclose = (event: CloseEvent) => {
        if (disposed || socket !== ws) return;
        socket = null;
        scheduleReconnect({ code: event.code, reason: event.reason });
      };
    }

    connect();
    return () => {
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
      if (socket) {
        socket.onclose = null;
        socket.onmessage = null;
        // 1000: the dashboard left on purpose; the collector should not log it as an error.
        if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
          socket.close(1000, 'view changed');
        }
      }
    };
  }, [enabled, url]);

  return status;
}

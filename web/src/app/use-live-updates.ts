import type { LiveTick } from '@closewatch/server/api-types';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';

import { ALERTS_KEY } from '@/features/alerts/api/keys';
import { codesQueryKey } from '@/features/codes/api/get-codes';
import { eventsQueryKey } from '@/features/events/api/get-events';
import { applyLiveTick } from '@/features/events/lib/live-events';
import type { ViewState } from '@/features/filters/lib/view-state';
import { liveUrl } from '@/features/live/lib/live-url';
import { throttle } from '@/features/live/lib/throttle';
import { useLiveFeed, type LiveStatus } from '@/features/live/use-live-feed';
import { STATS_KEY } from '@/features/overview/api/params';
import { recheckSession } from '@/features/session/api/get-session';
import { collectorBase } from '@/lib/api-client';

/** Refetches at most this often, however many ticks arrive. */
export const LIVE_REFRESH_MS = 1_000;

// A hidden tab only marks data stale; it refetches when the reader comes back.
const refetchType = (): 'none' | 'active' => (document.hidden ? 'none' : 'active');

/**
 * Keeps the numbers on screen current, and the alerts: an alert change invalidates
 * every alerting query at once. Each tick with closures invalidates the stats
 * queries (throttled); their fetchers compute `to = now` again, so relative windows
 * slide. Events from the tick go straight to the top of the events table.
 */
export function useLiveUpdates(view: ViewState): LiveStatus {
  const queryClient = useQueryClient();
  const viewRef = useRef(view);
  useEffect(() => {
    viewRef.current = view;
  });

  const refreshStats = useMemo(
    () =>
      throttle(() => {
        // cancelRefetch false: on a slow collector, restarting in-flight queries every
        // second would mean no query ever finishes.
        void queryClient.invalidateQueries({ queryKey: [STATS_KEY], refetchType: refetchType() }, { cancelRefetch: false });
      }, LIVE_REFRESH_MS),
    [queryClient],
  );
  const refreshEvents = useMemo(
    () =>
      throttle(() => {
        const { range, filters } = viewRef.current;
        void queryClient.invalidateQueries(
          { queryKey: eventsQueryKey({ range, filters }), exact: true, refetchType: refetchType() },
          { cancelRefetch: false },
        );
      }, LIVE_REFRESH_MS),
    [queryClient],
  );
  useEffect(
    () => () => {
      refreshStats.cancel();
      refreshEvents.cancel();
    },
    [refreshStats, refreshEvents],
  );

  const onTick = (tick: LiveTick) => {
    if (tick.total <= 0) return;
    refreshStats();
    const { range, filters } = viewRef.current;
    // A fixed past window does not gain new events; only sliding windows do.
    if (range.kind === 'relative' && applyLiveTick(queryClient, { range, filters }, tick)) refreshEvents();
  };

  // Alert changes are rare and matter at once: no throttle. The banner, the Alerts page
  // and the chart's episode bands all read queries under ALERTS_KEY.
  const onAlert = () => {
    // cancelRefetch: a read already on its way may predate the change.
    void queryClient.invalidateQueries({ queryKey: [ALERTS_KEY], refetchType: refetchType() });
  };

  const onConnected = (afterOutage: boolean) => {
    // Whatever failed while the collector was away (errors, gaps) is fetched again.
    if (afterOutage) void queryClient.invalidateQueries({ refetchType: refetchType() }, { cancelRefetch: false });
  };

  // The collector refuses the upgrade of a browser whose session ended, and a page cannot
  // read why: ask. If the answer is "not signed in", the sign-in redirect takes over.
  const onFailure = () => void recheckSession(queryClient);

  return useLiveFeed({
    enabled: view.live,
    url: liveUrl(view.filters, collectorBase(), window.location),
    onTick,
    onAlert,
    onCodes: () => void queryClient.invalidateQueries({ queryKey: codesQueryKey, refetchType: refetchType() }),
    onConnected,
    onFailure,
  });
}

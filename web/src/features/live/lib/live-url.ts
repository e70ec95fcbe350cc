import { filterParams, type Filters } from '@/features/filters/lib/view-state';

/**
 * The live feed's WebSocket URL: the collector's origin with ws(s), and the filters
 * (no time range: the feed is always "now").
 */
export function liveUrl(filters: Filters, collectorBase: string, location: Pick<Location, 'protocol' | 'host'>): string {
  let origin: string;
  if (collectorBase) {
    origin = collectorBase.replace(/^http/i, 'ws');
  } else {
    origin = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
  }
  const query = new URLSearchParams(filterParams(filters)).toString();
  return `${origin}/api/v1/live${query ? `?${query}` : ''}`;
}

import type { AlertEvent, LiveMessage, LiveTick } from '@closewatch/server/api-types';

/** A live message, or null for anything this dashboard does not understand. */
export function parseLiveMessage(data: unknown): LiveMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  if (type === 'hello') return value as LiveMessage;
  if (type === 'tick') {
    const tick = value as Partial<Record<keyof LiveTick, unknown>>;
    if (typeof tick.total !== 'number') return null;
    // Trimmed ticks may omit lists; default them instead of crashing the feed.
    return {
      ...(value as LiveTick),
      byCode: Array.isArray(tick.byCode) ? (tick.byCode as LiveTick['byCode']) : [],
      byService: Array.isArray(tick.byService) ? (tick.byService as LiveTick['byService']) : [],
      events: Array.isArray(tick.events) ? (tick.events as LiveTick['events']) : [],
      skippedTicks: typeof tick.skippedTicks === 'number' ? tick.skippedTicks : 0,
    };
  }
  if (type === 'alert') {
    const alert = value as Partial<Record<keyof AlertEvent, unknown>>;
    if (typeof alert.ruleId !== 'string' || !['pending', 'firing', 'resolved'].includes(String(alert.change))) return null;
    return value as AlertEvent;
  }
  // Code names changed on some collector: only the type matters.
  if (type === 'codes') return { type: 'codes', change: 'updated' };
  return null;
}

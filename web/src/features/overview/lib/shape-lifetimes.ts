import { describeCloseCode, formatCloseCode, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import { LIFETIME_EDGES_MS, lifetimeBucketLabel } from '@closewatch/sdk/lifetime-buckets';
import type { Lifetimes } from '@closewatch/server/api-types';

import { seriesColor } from '@/components/charts/palette';
import type { ChartRow, ChartSeries } from '@/components/charts/types';
import { codeKey } from '@/lib/code-key';

type LifetimeBucket = Lifetimes['buckets'][number];

/**
 * The registry's label for a bucket (`55 s - 60 s`); the server's own label when its
 * edges differ from this build's registry (a dashboard older or newer than the collector).
 */
export function bucketLabel(bucket: LifetimeBucket): string {
  return LIFETIME_EDGES_MS[bucket.index] === bucket.fromMs ? lifetimeBucketLabel(bucket.index) : bucket.label;
}

export interface LifetimeCodeOption {
  key: string;
  code: number | null;
  label: string;
  total: number;
  color: string;
}

/** Codes present in the histogram, largest first: the code selector's options. */
export function lifetimeCodes(response: Lifetimes, names?: CustomCloseCodes): LifetimeCodeOption[] {
  return response.byCode
    .filter((c) => c.total > 0)
    .map((c) => ({
      key: codeKey(c.code),
      code: c.code,
      label: formatCloseCode(c.code, names),
      total: c.total,
      color: seriesColor(codeKey(c.code)),
    }))
    .sort((a, b) => b.total - a.total || (a.code ?? 1e9) - (b.code ?? 1e9));
}

/**
 * Histogram bins with one series per selected code (all codes when `selected` is
 * empty). Every bin has a value for every series, missing counts are zero.
 */
export function toLifetimeBins(
  response: Lifetimes,
  selected: readonly string[] = [],
  names?: CustomCloseCodes,
): { bins: Array<ChartRow<string>>; series: ChartSeries[] } {
  const options = lifetimeCodes(response, names).filter((o) => selected.length === 0 || selected.includes(o.key));
  const counts = new Map(response.byCode.map((c) => [codeKey(c.code), c.counts]));
  const buckets = [...response.buckets].sort((a, b) => a.index - b.index);
  const bins = buckets.map((bucket, position) => {
    const values: Record<string, number> = {};
    for (const o of options) values[o.key] = counts.get(o.key)?.[position] ?? 0;
    return { x: bucketLabel(bucket), values };
  });
  return { bins, series: options.map((o) => ({ key: o.key, label: o.label, color: o.color })) };
}

export interface LifetimeWall {
  code: number | null;
  bucket: LifetimeBucket;
  count: number;
  /** Share of that code's closures in the one bucket, 0-1. */
  share: number;
}

/**
 * A "wall": one lifetime bucket holding a large share of a code's abnormal closes
 * while its neighbours stay low. Connections all dying after the same lifetime is the
 * signature of an idle timeout in a proxy or load balancer (60 s on nginx).
 */
export function findLifetimeWall(response: Lifetimes, minTotal = 10): LifetimeWall | null {
  const buckets = [...response.buckets].sort((a, b) => a.index - b.index);
  let best: LifetimeWall | null = null;
  for (const entry of response.byCode) {
    if (describeCloseCode(entry.code).category !== 'abnormal' || entry.total < minTotal) continue;
    for (let i = 0; i < entry.counts.length; i += 1) {
      const count = entry.counts[i] ?? 0;
      const bucket = buckets[i];
      if (!bucket || count === 0) continue;
      const share = count / entry.total;
      const neighbours = Math.max(entry.counts[i - 1] ?? 0, entry.counts[i + 1] ?? 0);
      if (share >= 0.25 && count >= 3 * neighbours && (best === null || share > best.share)) {
        best = { code: entry.code, bucket, count, share };
      }
    }
  }
  return best;
}

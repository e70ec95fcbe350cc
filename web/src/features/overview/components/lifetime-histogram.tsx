import { formatCloseCode } from '@closewatch/sdk/close-codes';
import type { Lifetimes } from '@closewatch/server/api-types';
import { useState } from 'react';

import { Histogram } from '@/components/charts/histogram';
import { useCustomCodeNames } from '@/lib/code-names';
import { formatCount, formatShare, formatCountOf } from '@/lib/format';

import { bucketLabel, findLifetimeWall, lifetimeCodes, toLifetimeBins } from '../lib/shape-lifetimes';

interface LifetimeHistogramProps {
  lifetimes: Lifetimes;
  windowLabel: string;
}

/**
 * How long connections lived before they closed, per code. A wall of 1006 in one
 * bucket (typically 60 s) is a proxy idle timeout, so codes stay separate series.
 */
export function LifetimeHistogram({ lifetimes, windowLabel }: LifetimeHistogramProps) {
  const [selected, setSelected] = useState<string[]>([]);
  const names = useCustomCodeNames();
  const options = lifetimeCodes(lifetimes, names);
  const visible = selected.filter((key) => options.some((o) => o.key === key));
  const { bins, series } = toLifetimeBins(lifetimes, visible, names);
  const wall = findLifetimeWall(lifetimes);

  if (options.length === 0) {
    return (
      <p className="empty-hint">
        No connection lifetimes in the {windowLabel}. SDKs report <code>durationMs</code> with each closure; the
        server SDK does it for you, custom senders should include it.
      </p>
    );
  }
  const toggle = (key: string) =>
    setSelected((current) => (current.includes(key) ? current.filter((k) => k !== key) : [...current, key]));
  return (
    <>
      {wall && (
        <p className="callout" role="note" data-testid="lifetime-wall">
          <strong>
            A wall of {formatCloseCode(wall.code, names)} at {bucketLabel(wall.bucket)}
          </strong>
          : {formatCountOf(wall.count, 'closures')} ({formatShare(wall.share)} of them) died after the same lifetime. That is the
          signature of a proxy or load-balancer idle timeout (nginx <code>proxy_read_timeout</code> defaults to 60 s):
          raise it or send pings more often than it.
        </p>
      )}
      <fieldset className="code-selector">
        <legend>Codes</legend>
        <button
          type="button"
          className="chip"
          aria-pressed={visible.length === 0}
          onClick={() => setSelected([])}
        >
          All, stacked
        </button>
        {options.map((o) => (
          <button
            key={o.key}
            type="button"
            className="chip"
            aria-pressed={visible.includes(o.key)}
            onClick={() => toggle(o.key)}
            title={`Show only the codes you pick; ${formatCountOf(o.total, 'closures')}`}
          >
            <span className="swatch" style={{ background: o.color }} aria-hidden="true" />
            {o.label} <span className="muted">{formatCount(o.total)}</span>
          </button>
        ))}
      </fieldset>
      <Histogram
        id="lifetime-histogram"
        caption={`Connection lifetime by code (closures per lifetime bucket, ${windowLabel})`}
        bins={bins}
        series={series}
        unit="closures"
      />
    </>
  );
}

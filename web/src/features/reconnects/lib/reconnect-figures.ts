import { RECONNECT_ADVISING_CODES } from '@closewatch/sdk/close-codes';
import type { Reconnects } from '@closewatch/server/api-types';

import { formatCount, formatDuration, formatShare } from '@/lib/format';

/** Shown where a figure has nothing to be computed from (no reconnects to judge). */
export const NO_VALUE = '\u2014';

/** The advised delay in words: `5 s – 30 s`. */
export function describeDelayWindow({ from, to }: { from: number; to: number }): string {
  return `${formatDuration(from)} \u2013 ${formatDuration(to)}`;
}

/** A delay, or the dash when there was none to measure. */
export function formatDelay(ms: number | null): string {
  return ms === null ? NO_VALUE : formatDuration(ms);
}

/** A list in words: `1001, 1012 and 1013`. */
function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The codes that advise the client on its next connection (the close-code registry's), when the answer names none. */
export const ADVISING_CODES = listInWords(RECONNECT_ADVISING_CODES.map(String));

/** The codes the closes were counted for, as the collector answered them: `1012, 1001 and 1013`. */
export function describeAdvisingCodes(byCode: Reconnects['byCode']): string {
  const codes = byCode.map((c) => (c.code === null ? 'none' : String(c.code)));
  return codes.length === 0 ? ADVISING_CODES : listInWords(codes);
}

/** The window of every reconnect figure: `within 10 min of closes in the last 1 h`. */
export function describeFollowed(r: Pick<Reconnects, 'lookaheadMs'>, windowLabel: string): string {
  return `within ${formatDuration(r.lookaheadMs)} of closes in the ${windowLabel}`;
}

export type FigureId = 'closes' | 'reconnected' | 'not-returned' | 'compliant-share' | 'too-fast' | 'median-delay' | 'p90-delay';

export interface ReconnectFigure {
  id: FigureId;
  title: string;
  value: string;
  /** The exact machine value behind `value` (null: nothing to compute it from). */
  raw: number | null;
  unit: string;
  /** The window the number covers. */
  window: string;
  detail: string;
  tone: 'bad' | 'good' | 'neutral';
}

/**
 * The headline numbers of the reconnects panel. Closes are counted in the range; every
 * reconnect figure is about those closes, followed for `lookaheadMs` each.
 */
export function reconnectFigures(r: Reconnects, windowLabel: string): ReconnectFigure[] {
  const advised = describeDelayWindow(r.advisedDelayMs);
  const lookahead = formatDuration(r.lookaheadMs);
  const followed = describeFollowed(r, windowLabel);
  const ofCloses = (n: number) => (r.closes === 0 ? '' : `${formatShare(n / r.closes)} of the closes; `);
  return [
    {
      id: 'closes',
      title: 'Reconnect-advising closes',
      value: formatCount(r.closes),
      raw: r.closes,
      unit: r.closes === 1 ? 'close' : 'closes',
      window: windowLabel,
      detail: `server-initiated ${describeAdvisingCodes(r.byCode)}`,
      tone: 'neutral',
    },
    {
      id: 'reconnected',
      title: 'Reconnected',
      value: formatCount(r.reconnected),
      raw: r.reconnected,
      unit: r.reconnected === 1 ? 'client' : 'clients',
      window: followed,
      detail: `${ofCloses(r.reconnected)}the same client opened a new connection`,
      tone: 'neutral',
    },
    {
      id: 'not-returned',
      title: 'Not returned',
      value: formatCount(r.notReturned),
      raw: r.notReturned,
      unit: r.notReturned === 1 ? 'client' : 'clients',
      window: followed,
      detail: `${ofCloses(r.notReturned)}not back within ${lookahead} of the close, or by the end of the range`,
      tone: 'neutral',
    },
    {
      id: 'compliant-share',
      title: 'Compliant share',
      value: r.compliantShare === null ? NO_VALUE : formatShare(r.compliantShare),
      raw: r.compliantShare,
      unit: 'of reconnects',
      window: followed,
      detail: r.compliantShare === null ? 'no reconnects to judge' : `waited ${advised}, the advised randomized delay`,
      tone: r.compliantShare === null ? 'neutral' : r.compliantShare >= 0.9 ? 'good' : r.compliantShare < 0.5 ? 'bad' : 'neutral',
    },
    {
      id: 'too-fast',
      title: 'Too fast',
      value: formatCount(r.tooFast),
      raw: r.tooFast,
      unit: r.tooFast === 1 ? 'reconnect' : 'reconnects',
      window: followed,
      detail:
        r.reconnected === 0
          ? 'no reconnects to judge'
          : `${formatShare(r.tooFast / r.reconnected)} of the reconnects came back in under ${formatDuration(r.advisedDelayMs.from)}`,
      tone: r.tooFast > 0 ? 'bad' : 'neutral',
    },
    {
      id: 'median-delay',
      title: 'Median delay',
      value: formatDelay(r.medianDelayMs),
      raw: r.medianDelayMs,
      unit: 'after the close',
      window: followed,
      detail: r.medianDelayMs === null ? 'no reconnects to measure' : 'half of the reconnects waited this long or less',
      tone: 'neutral',
    },
    {
      id: 'p90-delay',
      title: 'p90 delay',
      value: formatDelay(r.p90DelayMs),
      raw: r.p90DelayMs,
      unit: 'after the close',
      window: followed,
      detail: r.p90DelayMs === null ? 'no reconnects to measure' : '9 in 10 reconnects waited this long or less',
      tone: 'neutral',
    },
  ];
}

import type { Reconnects } from '../query/schemas.js';
import { csvText, type Cell } from './csv.js';

export const RECONNECTS_HEADER = [
  'group', 'key', 'label', 'closes', 'reconnected', 'not_returned', 'too_fast', 'compliant_share', 'median_delay_ms', 'detail',
] as const;

/**
 * The reconnects answer as one table, a `group` column telling its parts apart: the
 * total, each code, the delay histogram, the offending populations and the storm's seconds.
 */
export function reconnectsCsv(r: Reconnects, bom: boolean): string {
  const iso = (ms: number): string => new Date(ms).toISOString();
  const rows: Cell[][] = [
    ['total', '', `${iso(r.window.from)} to ${iso(r.window.to)}`, r.closes, r.reconnected, r.notReturned, r.tooFast, r.compliantShare, r.medianDelayMs,
      r.p90DelayMs === null ? '' : `p90 ${r.p90DelayMs} ms; advised ${r.advisedDelayMs.from}-${r.advisedDelayMs.to} ms; not returned within ${r.lookaheadMs} ms`],
    ...r.byCode.map((c): Cell[] => ['code', c.code, c.name, c.closes, c.reconnected, c.notReturned, null, c.compliantShare, null, '']),
    ...r.delayHistogram.map((b): Cell[] => ['delay', b.fromMs, b.label, null, b.count, null, null, null, null, `${b.fromMs}-${b.toMs ?? ''} ms`]),
    ...r.offenders.map((o): Cell[] => [
      o.kind === 'agent' ? 'agent' : 'key_prefix', o.value, '', null, o.reconnected, null, o.tooFast, null, o.medianDelayMs,
      o.fixedDelay ? 'fixed delay' : o.spreadMs === null ? '' : `spread ${o.spreadMs} ms`,
    ]),
  ];
  if (r.storm !== null) {
    const s = r.storm;
    rows.push(['storm', iso(s.at), 'mass close', s.closes, s.peakPerSecond, null, null, null, null,
      `peak ${s.peakPerSecond}/s${s.peakAt === null ? '' : ` at ${iso(s.peakAt)}`}; normal ${s.baselinePerSecond.toFixed(3)}/s; score ${s.score === null ? 'n/a' : s.score.toFixed(1)}`]);
    for (const second of s.series) rows.push(['storm_second', iso(second.t), '', second.closes, second.reconnects, null, null, null, null, '']);
  }
  return csvText([...RECONNECTS_HEADER], rows, bom);
}

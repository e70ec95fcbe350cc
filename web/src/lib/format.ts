/**
 * Number and time formatting. The locale is pinned to en-US so a number reads the same
 * on every operator's screen and in every screenshot of an incident.
 */
const LOCALE = 'en-US';

const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const threeSignificant = new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 3 });

/** An exact count: `1,234`. */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** A count with its unit, singular for one: `1 closure`, `1,234 closures`. */
export function formatCountOf(value: number, pluralUnit: string): string {
  const unit = value === 1 && pluralUnit.endsWith('s') ? pluralUnit.slice(0, -1) : pluralUnit;
  return `${formatCount(value)} ${unit}`;
}

/** A rate such as closures per minute: `1.25`, `0.00167`, `1,234`. */
export function formatRate(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 0.01) return threeSignificant.format(value);
  if (abs < 100) return twoDecimals.format(value);
  if (abs < 1000) return oneDecimal.format(value);
  return integer.format(value);
}

/** A 0-1 share as a percentage: `12.5%`, `0.25%`, `<0.01%`. */
export function formatShare(share: number): string {
  if (share === 0) return '0%';
  const pct = share * 100;
  if (pct > 0 && pct < 0.01) return '<0.01%';
  return `${(pct < 1 ? twoDecimals : oneDecimal).format(pct)}%`;
}

/** A difference of two shares in percentage points: `+2.5 pp`. */
export function formatPointsDelta(delta: number): string {
  const pts = delta * 100;
  const sign = pts > 0 ? '+' : pts < 0 ? '\u2212' : '\u00b1';
  return `${sign}${(Math.abs(pts) < 1 ? twoDecimals : oneDecimal).format(Math.abs(pts))} pp`;
}

/** A relative change: `+12%`, `\u221250%`. */
export function formatRelativeDelta(ratio: number): string {
  const pct = ratio * 100;
  const sign = pct > 0 ? '+' : pct < 0 ? '\u2212' : '\u00b1';
  return `${sign}${(Math.abs(pct) < 10 ? oneDecimal : integer).format(Math.abs(pct))}%`;
}

/** A connection lifetime or window length: `850 ms`, `12.5 s`, `5 min 3 s`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${integer.format(ms)} ms`;
  if (ms < 60_000) return `${oneDecimal.format(ms / 1000)} s`;
  const join = (big: number, bigUnit: string, small: number, smallUnit: string): string =>
    small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
  if (ms < 3_600_000) return join(Math.floor(ms / 60_000), 'min', Math.floor((ms % 60_000) / 1000), 's');
  if (ms < 86_400_000) return join(Math.floor(ms / 3_600_000), 'h', Math.floor((ms % 3_600_000) / 60_000), 'min');
  return join(Math.floor(ms / 86_400_000), 'd', Math.floor((ms % 86_400_000) / 3_600_000), 'h');
}

/** Bytes in binary units: `532 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${integer.format(bytes)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${oneDecimal.format(value)} ${units[unit]}`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local date: `2026-11-26`. */
export function formatDate(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local clock time: `10:05` or, with seconds, `10:05:07`. */
export function formatClock(ts: number, withSeconds = false): string {
  const d = new Date(ts);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withSeconds ? `${hm}:${pad(d.getSeconds())}` : hm;
}

/** Local date and time: `2026-11-26 10:05`. */
export function formatDateTime(ts: number): string {
  return `${formatDate(ts)} ${formatClock(ts)}`;
}

/** An event time precise enough to order events: `2026-11-26 10:05:07.123`. */
export function formatEventTime(ts: number): string {
  return `${formatDate(ts)} ${formatClock(ts, true)}.${pad(new Date(ts).getMilliseconds(), 3)}`;
}

/** Value for an `<input type="datetime-local">`, in local time. */
export function toDateTimeLocal(ts: number): string {
  return `${formatDate(ts)}T${formatClock(ts)}`;
}

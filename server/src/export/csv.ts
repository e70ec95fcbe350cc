import { stringify } from 'csv-stringify/sync';

/** A cell that starts with one of these is a formula to a spreadsheet (OWASP CSV injection). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Makes a text cell inert for spreadsheets: a leading quote, which Excel, LibreOffice and
 * Sheets hide, so what a person reads stays the same. Numbers are not text and stay numbers.
 */
export function neutralise(value: string): string {
  return value.length > 0 && FORMULA_START.has(value[0] as string) ? `'${value}` : value;
}

export type Cell = string | number | boolean | null;

const OPTIONS = { record_delimiter: 'windows', cast: { boolean: (b: boolean) => (b ? 'true' : 'false') } } as const;

/** Whether a cell must be quoted (RFC 4180: a comma, a quote or a line break in it). */
function needsQuotes(cell: string): boolean {
  for (let i = 0; i < cell.length; i += 1) {
    const c = cell.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return true;
  }
  return false;
}

/**
 * CSV records (CRLF after each) for rows of cells, text neutralised. Rows that need
 * quoting go through csv-stringify; the rest, the vast majority of closes, are exactly
 * what it would write, joined directly: the library's per-row cost would otherwise halve
 * the export rate.
 */
export function csvLines(rows: readonly Cell[][]): string {
  let out = '';
  for (const row of rows) {
    const cells = row.map((cell) => (typeof cell === 'string' ? neutralise(cell) : cell === null ? '' : typeof cell === 'boolean' ? (cell ? 'true' : 'false') : String(cell)));
    out += cells.some(needsQuotes) ? stringify([cells], OPTIONS) : `${cells.join(',')}\r\n`;
  }
  return out;
}

/** A whole (small) CSV document: header and rows, all through csv-stringify. */
export function csvText(header: readonly string[], rows: readonly Cell[][], bom: boolean): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'string' ? neutralise(cell) : cell)));
  return stringify([[...header], ...cells], { ...OPTIONS, bom });
}

/** UTF-8 byte order mark: Excel reads the file as UTF-8 only with it. */
export const UTF8_BOM = '\uFEFF';

/** `2026-12-01T10-00Z`: an ISO time without the characters file systems dislike. */
function fileTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(':', '-') + 'Z';
}

/** `closewatch-events-chat-2026-12-01T10-00Z--2026-12-01T11-00Z.csv`: what and which range. */
export function exportFileName(kind: string, scope: string | undefined, window: { from: number; to: number }): string {
  const safeScope = scope === undefined ? 'all' : scope.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
  return `closewatch-${kind}-${safeScope}-${fileTime(window.from)}--${fileTime(window.to)}.csv`;
}

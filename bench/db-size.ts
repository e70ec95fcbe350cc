/**
 * Where the bytes of a database go, by table and index, from SQLite's dbstat virtual
 * table: the database-size line of bench:query (and its before/after figures when the
 * schema changes).
 */
import Database from 'better-sqlite3';

export interface SizePart {
  name: string;
  bytes: number;
}

export interface SizeReport {
  totalBytes: number;
  events: number;
  parts: SizePart[];
}

export function measureDatabaseSize(path: string): SizeReport {
  const db = new Database(path, { readonly: true });
  try {
    const parts = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as SizePart[];
    const { pages, pageSize } = db.prepare('SELECT c.page_count AS pages, s.page_size AS pageSize FROM pragma_page_count() AS c, pragma_page_size() AS s').get() as { pages: number; pageSize: number };
    const { events } = db.prepare('SELECT count(*) AS events FROM close_event').get() as { events: number };
    return { totalBytes: pages * pageSize, events, parts };
  } finally {
    db.close();
  }
}

/** `database size: 2.9 GiB, 290 bytes/event (close_event 150, close_event_ts_idx 20, ...)` and a table of every part over 0.5 %. */
export function formatSizeReport(report: SizeReport): string {
  const perEvent = (bytes: number) => (report.events === 0 ? 0 : bytes / report.events);
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const shown = report.parts.filter((p) => p.bytes >= report.totalBytes * 0.005);
  const rest = report.parts.filter((p) => p.bytes < report.totalBytes * 0.005).reduce((sum, p) => sum + p.bytes, 0);
  const head =
    `database size: ${mib(report.totalBytes)} for ${report.events.toLocaleString('en')} events = ${perEvent(report.totalBytes).toFixed(1)} bytes/event ` +
    `(${shown.map((p) => `${p.name} ${perEvent(p.bytes).toFixed(1)}`).join(', ')}${rest > 0 ? `, rest ${perEvent(rest).toFixed(1)}` : ''})`;
  const rows = shown.map((p) => `| ${p.name} | ${mib(p.bytes)} | ${perEvent(p.bytes).toFixed(1)} | ${((p.bytes / report.totalBytes) * 100).toFixed(1)}% |`);
  return `${head}\n\n| table / index | size | bytes/event | share |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`;
}

/**
 * A read worker: a read-only connection on its own thread, so a heavy query never
 * blocks the collector's event loop (ingest acknowledgements, probes, live ticks).
 * WAL lets it read beside the writer thread. Every scan calls `cw_within_budget()`,
 * which ends the statement once the read's deadline has passed.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import { openSqlite } from './open-sqlite.js';
import type { ReadReply, ReadRequest, RowMapperModule } from './read-protocol.js';
import { gateViews, waitForOpenGate } from './wal-gate.js';

const port = parentPort;
if (port === null) throw new Error('read-worker must run in a worker thread');

const OVER_BUDGET = 'closewatch: read budget spent';
/** Statements kept prepared; the query API builds a few hundred shapes at most. */
const MAX_PREPARED = 500;

const { path, mappers, nice, walGate } = workerData as { path: string; mappers: Record<string, string>; nice: number; walGate: SharedArrayBuffer };
const gate = gateViews(walGate);
// Only Linux gives each thread its own nice value; elsewhere setPriority(0) would renice
// the whole collector, ingest included.
if (nice > 0 && process.platform === 'linux') setPriority(0, nice);
const loaded = new Map<string, Promise<RowMapperModule>>();
function mapper(name: string): Promise<RowMapperModule> {
  let module = loaded.get(name);
  if (module === undefined) {
    const url = mappers[name];
    if (url === undefined) throw new Error(`no row mapper named ${name}`);
    module = import(url) as Promise<RowMapperModule>;
    loaded.set(name, module);
  }
  return module;
}
const db = openSqlite(path, { readonly: true });
let deadline = Number.POSITIVE_INFINITY;
let calls = 0;
db.function('cw_within_budget', { deterministic: false }, () => {
  // Date.now() every 256 rows keeps the check at a few nanoseconds a row.
  calls += 1;
  if ((calls & 255) === 0 && Date.now() > deadline) throw new Error(OVER_BUDGET);
  return 1;
});

const prepared = new Map<string, Statement>();
function statement(text: string): Statement {
  let stmt = prepared.get(text);
  if (stmt === undefined) {
    if (prepared.size >= MAX_PREPARED) prepared.clear();
    stmt = db.prepare(text);
    prepared.set(text, stmt);
  }
  return stmt;
}

port.on('message', async (message: ReadRequest | { type: 'close' }) => {
  if (message.type === 'close') {
    db.close();
    port.close();
    return;
  }
  deadline = message.deadline;
  try {
    // The mapper loads before the statement runs, so no await falls between reading and replying.
    const map = message.mapper === undefined ? undefined : await mapper(message.mapper);
    // Before the statement takes its snapshot: a read that starts now would keep the WAL from starting over.
    waitForOpenGate(gate, deadline);
    // A budget spent waiting there is spent: the read is over it before it began.
    if (Date.now() >= deadline) throw new Error(OVER_BUDGET);
    const rows = statement(message.sql).raw(message.raw || map !== undefined).all(...message.values) as Array<Record<string, unknown>> | unknown[][];
    if (map === undefined) port.postMessage({ type: 'rows', id: message.id, rows } satisfies ReadReply);
    else port.postMessage({ type: 'mapped', id: message.id, text: map.mapRows(rows as unknown[][]), rows: rows.length } satisfies ReadReply);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    port.postMessage({
      type: 'failed',
      id: message.id,
      overBudget: text.includes(OVER_BUDGET),
      code: typeof code === 'string' ? code : null,
      message: text,
    } satisfies ReadReply);
  } finally {
    deadline = Number.POSITIVE_INFINITY;
  }
});

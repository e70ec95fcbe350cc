/**
 * A read worker: a read-only connection on its own thread, so a heavy query never
 * blocks the collector's event loop (ingest acknowledgements, probes, live ticks).
 * WAL lets it read beside the writer thread. Every scan calls `cw_within_budget()`,
 * which ends the statement once the read's deadline has passed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import { openSqlite } from './open-sqlite.js';
import type { ReadReply, ReadRequest } from './read-protocol.js';

const port = parentPort;
if (port === null) throw new Error('read-worker must run in a worker thread');

const OVER_BUDGET = 'closewatch: read budget spent';
/** Statements kept prepared; the query API builds a few hundred shapes at most. */
const MAX_PREPARED = 500;

const { path } = workerData as { path: string };
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

port.on('message', (message: ReadRequest | { type: 'close' }) => {
  if (message.type === 'close') {
    db.close();
    port.close();
    return;
  }
  deadline = message.deadline;
  try {
    const rows = statement(message.sql).all(...message.values) as Array<Record<string, unknown>>;
    port.postMessage({ type: 'rows', id: message.id, rows } satisfies ReadReply);
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

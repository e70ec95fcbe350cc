/**
 * The ingest writer thread: owns the better-sqlite3 connection of the hot path, so
 * inserts, index updates and fsyncs never block the collector's event loop. Batches
 * that arrive while a transaction runs are group-committed in the next one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EventStore } from './event-store.js';
import { GroupCommitter } from './group-commit.js';
import { openSqlite } from './open-sqlite.js';
import { gateViews, WalGate } from './wal-gate.js';
import type { WriterReply, WriterRequest } from './writer-protocol.js';

const port = parentPort;
if (port === null) throw new Error('write-worker must run in a worker thread');

const { path, maxRoutesPerServiceHour, walGate, walLimitBytes } = workerData as {
  path: string;
  maxRoutesPerServiceHour: number;
  walGate: SharedArrayBuffer;
  walLimitBytes: number;
};
const db = openSqlite(path);
const store = new EventStore(db, maxRoutesPerServiceHour);
const committer = new GroupCommitter(store);
const gate = new WalGate(db, path, walLimitBytes, gateViews(walGate), () => committer.pendingBatches > 0);
const probe = db.prepare('SELECT 1');
const pageSize = db.pragma('page_size', { simple: true }) as number;
const freePages = (): number => db.pragma('freelist_count', { simple: true }) as number;

/**
 * One step of incremental vacuum: moves at most `pages` pages off the end of the file
 * and truncates it. Once nothing is free a passive checkpoint lets the file itself
 * shrink (in WAL mode the truncation lands with the checkpoint). Returns bytes given back.
 */
function reclaim(pages: number): number {
  const before = freePages();
  if (before === 0) return 0;
  db.pragma(`incremental_vacuum(${Math.max(1, Math.trunc(pages))})`);
  const after = freePages();
  if (after === 0) db.pragma('wal_checkpoint(PASSIVE)');
  return (before - after) * pageSize;
}

function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

port.on('message', (message: WriterRequest) => {
  if (message.type === 'close') {
    void committer.drain().then(() => {
      gate.stop();
      db.close();
      port.postMessage({ type: 'closed' } satisfies WriterReply);
      port.close();
    });
    return;
  }
  if (message.type === 'ping') {
    try {
      probe.get();
      port.postMessage({ type: 'pong', id: message.id } satisfies WriterReply);
    } catch (error) {
      port.postMessage({ type: 'failed', id: message.id, message: String(error), code: errorCode(error) } satisfies WriterReply);
    }
    return;
  }
  if (message.type === 'exec' || message.type === 'reclaim' || message.type === 'opens' || message.type === 'rollup') {
    // Runs between group commits (they wait for setImmediate), so a prune batch delays
    // ingest by its own few milliseconds at most.
    try {
      const changes =
        message.type === 'exec'
          ? db.prepare(message.sql).run(...message.values).changes
          : message.type === 'opens'
            ? store.writeOpens(message.opens)
            : message.type === 'rollup'
              ? store.rollUp(message.until)
              : reclaim(message.pages);
      gate.afterWrite();
      port.postMessage({ type: 'done', id: message.id, changes } satisfies WriterReply);
    } catch (error) {
      port.postMessage({ type: 'failed', id: message.id, message: String(error), code: errorCode(error) } satisfies WriterReply);
    }
    return;
  }
  committer.write(message.events, message.drop).then(
    (result) => {
      gate.afterWrite();
      port.postMessage({ type: 'written', id: message.id, result, transactions: committer.transactions } satisfies WriterReply);
    },
    (error: unknown) =>
      port.postMessage({
        type: 'failed',
        id: message.id,
        message: error instanceof Error ? error.message : String(error),
        code: errorCode(error),
      } satisfies WriterReply),
  );
});

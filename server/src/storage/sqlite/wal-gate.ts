/**
 * Keeps the WAL from growing without end while reads overlap.
 *
 * SQLite can start its WAL over from the beginning only at a moment when every page in it
 * is back in the database file and no reader still uses an older snapshot. Dashboard reads
 * that follow each other without a gap never leave such a moment, so under steady ingest
 * the WAL grows for as long as the reads go on (1.8 GB in 50 s in `bench:ingest`). A longer
 * WAL costs every commit more: each new frame now extends the file, and the kernel zeroes
 * every new block first (a sixth of the writer's time in that benchmark).
 *
 * So the writer watches the WAL's size. Past the limit it closes the gate: reads already
 * running go on, new ones wait (at most GATE_MAX_WAIT_MS) until the WAL has started over.
 * With no reader left, the writer's next commit checkpoints everything and the one after
 * starts the WAL over; `journal_size_limit` then truncates the file to the limit, and the
 * writer opens the gate. If ingest has stopped, no commit comes, so the writer checkpoints
 * with TRUNCATE itself. A gate still closed after GATE_GIVE_UP_MS is held by a long reader
 * of another kind (a backup), and reads stop waiting for it.
 */
import { statSync } from 'node:fs';
import type { SqliteDatabase } from './open-sqlite.js';

/** The longest a new read waits for the WAL to start over; after it, it reads anyway. */
export const GATE_MAX_WAIT_MS = 2000;
/**
 * A gate closed for longer than this is held by something else than dashboard reads (an
 * `npm run backup` copy is one read transaction of many seconds): reads stop waiting for
 * it until it has opened and closed again.
 */
export const GATE_GIVE_UP_MS = 10_000;
/** With the gate closed and no write for this long, the writer truncates the WAL itself. */
const IDLE_MS = 200;
const OPEN = 0;
const CLOSED = 1;

/** The gate's shared memory: its state (an Int32 at 0) and when it last closed (epoch ms, an Int64 at 8). */
export function newGateBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(16);
}

/** Views of a gate buffer: `state[0]` is OPEN or CLOSED, `closedAt[0]` when it last closed. */
export function gateViews(buffer: SharedArrayBuffer): { state: Int32Array; closedAt: BigInt64Array } {
  return { state: new Int32Array(buffer, 0, 1), closedAt: new BigInt64Array(buffer, 8, 1) };
}

/**
 * Read side: returns once the gate is open, `deadline` (epoch ms) passed or GATE_MAX_WAIT_MS
 * went by; at once when it has been closed for GATE_GIVE_UP_MS.
 */
export function waitForOpenGate(gate: ReturnType<typeof gateViews>, deadline: number): void {
  if (Atomics.load(gate.state, 0) === OPEN) return;
  const giveUpAt = Number(Atomics.load(gate.closedAt, 0)) + GATE_GIVE_UP_MS;
  const until = Math.min(deadline, Date.now() + GATE_MAX_WAIT_MS, giveUpAt);
  for (let left = until - Date.now(); left > 0 && Atomics.load(gate.state, 0) === CLOSED; left = until - Date.now()) {
    Atomics.wait(gate.state, 0, CLOSED, left);
  }
}

/** Write side: owned by the writer thread, which alone commits to the WAL at ingest rates. */
export class WalGate {
  private readonly walPath: string;
  private lastWrite = Date.now();
  private idleTimer: NodeJS.Timeout | null = null;
  constructor(
    private readonly db: SqliteDatabase,
    dbPath: string,
    private readonly limitBytes: number,
    private readonly gate: ReturnType<typeof gateViews>,
    private readonly hasPendingWrites: () => boolean,
  ) {
    this.walPath = `${dbPath}-wal`;
    // Applied by the connection that starts the WAL over: this one.
    db.pragma(`journal_size_limit = ${limitBytes}`);
    // Checkpoints must come well before the limit, or the gate would close on every cycle
    // of a WAL that no reader holds back.
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${Math.max(1, Math.min(autoCheckpoint, Math.floor(limitBytes / 4 / pageSize)))}`);
  }

  /** After every commit: closes or opens the gate by the WAL's size. */
  afterWrite(): void {
    this.lastWrite = Date.now();
    this.update();
  }

  /** Stops the idle timer (the writer is closing). */
  stop(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.open();
  }

  private walBytes(): number {
    try {
      return statSync(this.walPath).size;
    } catch {
      return 0;
    }
  }

  private update(): void {
    if (this.walBytes() <= this.limitBytes) {
      this.open();
      return;
    }
    if (Atomics.load(this.gate.state, 0) === OPEN) {
      Atomics.store(this.gate.closedAt, 0, BigInt(Date.now()));
      Atomics.store(this.gate.state, 0, CLOSED);
    }
    this.idleTimer ??= setTimeout(() => this.idleTick(), IDLE_MS);
  }

  private open(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (Atomics.load(this.gate.state, 0) === OPEN) return;
    Atomics.store(this.gate.state, 0, OPEN);
    Atomics.notify(this.gate.state, 0);
  }

  private idleTick(): void {
    this.idleTimer = null;
    if (Atomics.load(this.gate.state, 0) === OPEN) return;
    if (!this.hasPendingWrites() && Date.now() - this.lastWrite >= IDLE_MS) {
      // busy_timeout 0: a reader still on an old snapshot makes it give up at once
      // (and try again next tick) instead of holding up the writer thread.
      const busyTimeout = this.db.pragma('busy_timeout', { simple: true }) as number;
      this.db.pragma('busy_timeout = 0');
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Busy or failed: the next tick tries again; the WAL is only larger meanwhile.
      } finally {
        this.db.pragma(`busy_timeout = ${busyTimeout}`);
      }
    }
    this.update();
  }
}

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeEvent } from '../helpers/events.js';
import { childEnv, postEvents, startCollectorProcess, storedEventIds, type CollectorProcess } from '../helpers/collector-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../src/cli/backup.ts', import.meta.url));
const KEY = 'cw_backup_key_0123456789abcdef';
const READ_TOKEN = 'cw_backup_read_0123456789abcdef';
const WRITERS = 4;
const EVENTS_PER_BATCH = 100;

let db: TestDatabase;
let dir: string;
before(async () => {
  db = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'closewatch-backup-'));
});
after(() => {
  db.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const settings = (databaseUrl: string): Record<string, string> => ({
  DATABASE_URL: databaseUrl,
  CLOSEWATCH_INGEST_KEY: KEY,
  CLOSEWATCH_READ_TOKEN: READ_TOKEN,
  CLOSEWATCH_ADMIN_PASSWORD: 'backup-test-password',
  DASHBOARD_DIR: '',
  LOG_LEVEL: 'warn',
  ALERT_EVAL_INTERVAL_MS: '0',
});

async function backup(databaseUrl: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=closewatch-source', '--import', 'tsx', CLI, ...args], { env: childEnv({ DATABASE_URL: databaseUrl }) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface Batch {
  ids: string[];
  sentAt: number;
  ackedAt: number | null;
}

/** Writers that post batches one after another until stopped, recording when each was acknowledged. */
function ingestContinuously(collector: CollectorProcess): { batches: Batch[]; stop(): Promise<void> } {
  const batches: Batch[] = [];
  let stopping = false;
  const writers = Array.from({ length: WRITERS }, async (_, w) => {
    for (let n = 0; !stopping; n++) {
      const events = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => makeEvent({ id: `w${w}-b${n}-e${i}` }));
      const batch: Batch = { ids: events.map((e) => e.id as string), sentAt: Date.now(), ackedAt: null };
      batches.push(batch);
      const status = await postEvents(collector.url, KEY, events);
      if (status !== 200) throw new Error(`ingest answered ${status} during the backup`);
      batch.ackedAt = Date.now();
    }
  });
  return {
    batches,
    stop: async () => {
      stopping = true;
      await Promise.all(writers);
    },
  };
}

test('a backup taken during steady ingest holds every batch acknowledged before it began, whole, and restores into a fresh collector', async () => {
  const from = Date.now() - 60_000;
  const collector = await startCollectorProcess({ env: settings(db.url) });
  // A folder that does not exist yet: the backup makes it.
  const target = join(dir, 'backups', 'copy.db');
  let ingest: ReturnType<typeof ingestContinuously> | null = null;
  let backupStartedAt = 0;
  let backupEndedAt = 0;
  try {
    ingest = ingestContinuously(collector);
    while (ingest.batches.filter((b) => b.ackedAt !== null).length < 20) await new Promise((resolve) => setTimeout(resolve, 20));
    backupStartedAt = Date.now();
    const result = await backup(db.url, target);
    backupEndedAt = Date.now();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^backed up [\d.]+ MB \(\d+ pages, quick_check ok\) in [\d.]+ s: /m);
    // Ingest went on after the copy: the collector was never stopped or blocked for it.
    const ackedAtEnd = ingest.batches.filter((b) => b.ackedAt !== null).length;
    while (ingest.batches.filter((b) => b.ackedAt !== null).length < ackedAtEnd + 10) await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    await ingest?.stop();
    assert.deepEqual(await collector.stop(), { code: 0, signal: null });
  }
  assert.ok(!existsSync(`${target}-wal`) && !existsSync(`${target}-shm`), 'the copy is one file');
  const batches = ingest.batches;
  const ackedBefore = batches.filter((b) => b.ackedAt !== null && b.ackedAt < backupStartedAt);
  const sentAfter = batches.filter((b) => b.sentAt > backupEndedAt);
  assert.ok(ackedBefore.length >= 20 && sentAfter.length >= 10);

  // Restore: the copy becomes the database file of a new collector.
  const restoredPath = join(dir, 'restored', 'closewatch.db');
  mkdirSync(join(dir, 'restored'));
  copyFileSync(target, restoredPath);
  const restored = await startCollectorProcess({ env: settings(`file:${restoredPath}`) });
  let stored: Set<string>;
  try {
    stored = new Set(await storedEventIds(restored.url, READ_TOKEN, from, Date.now() + 60_000));
  } finally {
    assert.deepEqual(await restored.stop(), { code: 0, signal: null });
  }
  const present = (b: Batch): number => b.ids.filter((id) => stored.has(id)).length;
  // Every batch acknowledged before the backup began is there, whole.
  assert.deepEqual(ackedBefore.map(present), ackedBefore.map(() => EVENTS_PER_BATCH));
  // A consistent copy: each batch entirely or not at all, and nothing sent after it ended.
  assert.deepEqual(batches.map(present).filter((n) => n !== 0 && n !== EVENTS_PER_BATCH), []);
  assert.deepEqual(sentAfter.map(present).filter((n) => n !== 0), []);
  // Nothing but what was sent.
  assert.equal(stored.size, batches.reduce((sum, b) => sum + present(b), 0));
});

test('the backup refuses to overwrite a file, and names a missing database', async () => {
  const existing = join(dir, 'exists.db');
  copyFileSync(db.path, existing);
  const refused = await backup(db.url, existing);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, `closewatch backup: ${existing} exists; give a new file name (a backup never overwrites one)\n`);

  const missing = join(dir, 'none', 'missing.db');
  const noDatabase = await backup(`file:${missing}`, join(dir, 'x.db'));
  assert.equal(noDatabase.code, 1);
  assert.match(noDatabase.stderr, new RegExp(`^closewatch backup: there is no database at ${missing} `));
  assert.ok(!existsSync(join(dir, 'x.db')));

  const usage = await backup(db.url);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^name the backup file\n/);
});

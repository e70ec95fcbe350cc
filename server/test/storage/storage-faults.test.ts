import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { makeEvent } from '../helpers/events.js';
import { startTestApp, TEST_KEY, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

// The database lives on a small ext4 file system of its own (a loop-mounted image), so
// the disk can really fill up and the file can really refuse writes (the immutable
// attribute: unlike chmod it binds root too, and takes effect on files already open).
const MB = 1024 * 1024;
let mountDir = '';
let image = '';
let t: TestApp;
let canMount = true;

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: 'pipe' });
}

before(async () => {
  const work = mkdtempSync(join(tmpdir(), 'closewatch-faults-'));
  image = join(work, 'disk.img');
  mountDir = join(work, 'mnt');
  try {
    writeFileSync(image, Buffer.alloc(0));
    run('truncate', ['-s', '24M', image]);
    run('mkfs.ext4', ['-q', '-F', image]);
    run('mkdir', ['-p', mountDir]);
    run('mount', ['-o', 'loop', image, mountDir]);
  } catch {
    canMount = false;
    return;
  }
  const template = await createTestDatabase('sqlite');
  const path = join(mountDir, 'closewatch.db');
  copyFileSync(template.path, path);
  await template.cleanup();
  const db: TestDatabase = { engine: 'sqlite', url: `file:${path}`, path, cleanup: async () => {} };
  t = await startTestApp({ WRITER_QUEUE_MB: '256' }, db);
});

after(async () => {
  if (!canMount) return;
  await t?.destroy();
  try {
    run('chattr', ['-i', join(mountDir, 'closewatch.db'), join(mountDir, 'closewatch.db-wal')]);
  } catch {
    // not set
  }
  run('umount', [mountDir]);
  rmSync(join(image, '..'), { recursive: true, force: true });
});

const ingest = (events: Array<Record<string, unknown>>) =>
  t.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${TEST_KEY}` }, payload: { events } });
const stored = (): number => (t.sqlite.prepare('SELECT count(*) AS n FROM close_event').get() as { n: number }).n;

/** While `fault` holds: ingest 503 + Retry-After naming `reason`, /readyz 503, the process answers; once it is gone the SDK's retry of the same batch is taken. */
async function faultCycle(reason: string, events: Array<Record<string, unknown>>, fault: () => void, heal: () => void): Promise<void> {
  const before = stored();
  fault();
  try {
    const refused = await ingest(events);
    assert.equal(refused.statusCode, 503, refused.body);
    assert.equal(refused.headers['retry-after'], '5');
    assert.deepEqual(refused.json(), {
      error: {
        code: 'STORAGE_UNAVAILABLE',
        message: `the batch could not be stored and was not acknowledged (${reason}); retry it later (ids make the retry safe)`,
      },
    });
    const ready = await t.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), { error: { code: 'WRITER_UNAVAILABLE', message: `ingest cannot store events: the last 1 write(s) failed: ${reason}` } });
    assert.equal((await t.inject('/healthz')).statusCode, 200, 'the collector is up');
  } finally {
    heal();
  }
  const retried = await ingest(events);
  assert.equal(retried.statusCode, 200, retried.body);
  assert.equal(retried.json().accepted, events.length);
  assert.equal((await t.inject('/readyz')).statusCode, 200);
  assert.equal(stored(), before + events.length, 'nothing of the refused attempt was kept, all of the retry');
}

test('a database locked by another process: 503 with Retry-After, /readyz 503, and ingest resumes once the lock is released', async (ctx) => {
  if (!canMount) return ctx.skip('needs root to mount a small file system');
  assert.equal((await ingest([makeEvent()])).statusCode, 200);
  const other = new Database(t.db.path);
  await faultCycle(
    'the database is locked by another process',
    [makeEvent(), makeEvent()],
    () => other.exec('BEGIN EXCLUSIVE'),
    () => {
      other.exec('ROLLBACK');
      other.close();
    },
  );
});

test('a database file that refuses writes: 503, /readyz 503, and ingest resumes once it is writable again', async (ctx) => {
  if (!canMount) return ctx.skip('needs root to mount a small file system');
  const files = [t.db.path, `${t.db.path}-wal`];
  await faultCycle(
    'the disk reported an I/O error',
    [makeEvent(), makeEvent(), makeEvent()],
    () => run('chattr', ['+i', ...files]),
    () => run('chattr', ['-i', ...files]),
  );
});

test('a full disk: 503 naming it, /readyz 503, and ingest resumes once there is room', async (ctx) => {
  if (!canMount) return ctx.skip('needs root to mount a small file system');
  // An empty write-ahead log, so the next commit needs new blocks.
  t.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const filler = join(mountDir, 'filler');
  const labels = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`l${i}`, 'z'.repeat(200)]));
  const events = Array.from({ length: 2000 }, (_, i) => makeEvent({ labels: { ...labels, n: String(i) } }));
  await faultCycle(
    'the disk is full',
    events,
    () => {
      try {
        run('fallocate', ['-l', `${64 * MB}`, filler]);
      } catch {
        // fallocate fails with ENOSPC after taking nothing; dd takes what is left.
        try {
          run('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64K', 'status=none']);
        } catch {
          // stops at ENOSPC, as meant
        }
      }
    },
    () => rmSync(filler, { force: true }),
  );
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStore } from '../../src/storage/sqlite/event-store.js';
import { GroupCommitter } from '../../src/storage/sqlite/group-commit.js';
import { openSqlite, type SqliteDatabase } from '../../src/storage/sqlite/open-sqlite.js';
import { storedEvent } from '../helpers/stored-event.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

let db: TestDatabase;
let sqlite: SqliteDatabase;
before(async () => {
  db = await createTestDatabase('sqlite');
  sqlite = openSqlite(db.path);
});
after(async () => {
  sqlite.close();
  await db.cleanup();
});

const batch = (size: number, prefix: string) => Array.from({ length: size }, (_, i) => storedEvent({ eventId: `${prefix}-${i}` }));
const stored = (): number => (sqlite.prepare('SELECT count(*) AS n FROM close_event').get() as { n: number }).n;

test('batches queued in one turn share transactions of at most maxEventsPerTransaction, never splitting a batch', async () => {
  const committer = new GroupCommitter(new EventStore(sqlite), { maxEventsPerTransaction: 100 });
  // 40 + 40 + 40 reaches 100 on the third batch (which is not split): one transaction of
  // 120; the last two batches (80) go in a second transaction on the next turn.
  const results = await Promise.all([1, 2, 3, 4, 5].map((n) => committer.write(batch(40, `g${n}`))));
  assert.deepEqual(results, Array.from({ length: 5 }, () => ({ accepted: 40, duplicates: 0, routesCapped: 0, duplicateIndexes: [] })));
  assert.equal(committer.transactions, 2);
  assert.equal(committer.committedEvents, 200);

  // A batch larger than the limit is still written whole, in a transaction of its own.
  const [big, small] = await Promise.all([committer.write(batch(250, 'big')), committer.write(batch(10, 'small'))]);
  assert.deepEqual([big, small], [{ accepted: 250, duplicates: 0, routesCapped: 0, duplicateIndexes: [] }, { accepted: 10, duplicates: 0, routesCapped: 0, duplicateIndexes: [] }]);
  assert.equal(committer.transactions, 4);
  assert.equal(stored(), 460);

  // Duplicates across batches of one transaction count once.
  const again = await Promise.all([committer.write(batch(40, 'g1')), committer.write(batch(5, 'new'))]);
  assert.deepEqual(again, [{ accepted: 0, duplicates: 40, routesCapped: 0, duplicateIndexes: Array.from({ length: 40 }, (_, i) => i) }, { accepted: 5, duplicates: 0, routesCapped: 0, duplicateIndexes: [] }]);
  assert.equal(stored(), 465);
});

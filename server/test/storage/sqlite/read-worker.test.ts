import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startTestApp } from '../../helpers/test-app.js';

/** Nice value of each thread of this process (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // the thread ended between the listing and the read
    }
  });
}

const onLinux = process.platform === 'linux';

test('read threads run at READ_NICE, and nothing else in the collector does', { skip: !onLinux && 'per-thread nice is Linux only' }, async () => {
  const t = await startTestApp({ READ_WORKERS: '2', READ_NICE: '10' });
  try {
    // Two reads at once start both workers.
    const answers = await Promise.all([t.inject('/api/v1/stats/summary'), t.inject('/api/v1/stats/reasons')]);
    assert.deepEqual(answers.map((a) => a.statusCode), [200, 200]);
    const nice = threadNiceValues();
    assert.equal(nice.filter((n) => n === 10).length, 2, `nice values: ${nice.join(' ')}`);
    assert.equal(nice.filter((n) => n !== 10 && n !== 0).length, 0);
  } finally {
    await t.destroy();
  }
});

test('READ_NICE=0 leaves the read threads as every other thread', { skip: !onLinux && 'per-thread nice is Linux only' }, async () => {
  const t = await startTestApp({ READ_WORKERS: '2', READ_NICE: '0' });
  try {
    const answers = await Promise.all([t.inject('/api/v1/stats/summary'), t.inject('/api/v1/stats/reasons')]);
    assert.deepEqual(answers.map((a) => a.statusCode), [200, 200]);
    assert.deepEqual([...new Set(threadNiceValues())], [0]);
  } finally {
    await t.destroy();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedQueue } from '../../src/delivery/bounded-queue.js';

test('FIFO within capacity', () => {
  const q = new BoundedQueue<number>(3);
  assert.equal(q.push(1), undefined);
  assert.equal(q.push(2), undefined);
  assert.equal(q.size, 2);
  assert.equal(q.peek(), 1);
  assert.equal(q.shift(), 1);
  assert.equal(q.shift(), 2);
  assert.equal(q.shift(), undefined);
  assert.equal(q.peek(), undefined);
});

test('when full, push evicts and returns the oldest', () => {
  const q = new BoundedQueue<number>(3);
  for (const n of [1, 2, 3]) q.push(n);
  assert.equal(q.push(4), 1);
  assert.equal(q.push(5), 2);
  assert.deepEqual(q.drain(), [3, 4, 5]);
  assert.equal(q.size, 0);
});

test('unshiftAll puts items back in front, in order, dropping the oldest that do not fit', () => {
  const q = new BoundedQueue<number>(4);
  q.push(10);
  q.push(11);
  assert.deepEqual(q.unshiftAll([7, 8]), []);
  assert.deepEqual(q.drain(), [7, 8, 10, 11]);
  q.push(10);
  q.push(11);
  q.push(12);
  assert.deepEqual(q.unshiftAll([6, 7, 8]), [6, 7]);
  assert.deepEqual(q.drain(), [8, 10, 11, 12]);
});

test('wraps around the ring many times and matches an array model', () => {
  const q = new BoundedQueue<number>(5);
  const model: number[] = [];
  let evicted = 0;
  let modelEvicted = 0;
  for (let i = 0; i < 100; i++) {
    if (q.push(i) !== undefined) evicted++;
    model.push(i);
    if (model.length > 5) {
      model.shift();
      modelEvicted++;
    }
    if (i % 3 === 0) assert.equal(q.shift(), model.shift());
    assert.equal(q.size, model.length);
  }
  assert.equal(evicted, modelEvicted);
  assert.equal(evicted, 62);
  assert.deepEqual(q.drain(), model);
  assert.deepEqual(model, [96, 97, 98, 99]);
});

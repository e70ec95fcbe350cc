import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { FakeCollector } from './helpers/fake-collector.js';

const fixture = fileURLToPath(new URL('./fixtures/exit-fixture.ts', import.meta.url));
let sink: FakeCollector;
let down: FakeCollector;
// Each child pays the tsx start-up; running the three at once keeps the file fast.
let results: Record<'natural' | 'before-exit' | 'sigterm', ReturnType<typeof run>>;
before(async () => {
  sink = await FakeCollector.start();
  down = await FakeCollector.start();
  down.goOffline();
  results = {
    natural: run('natural', down.url),
    'before-exit': run('before-exit', sink.url),
    sigterm: run('sigterm', sink.url),
  };
});
after(async () => {
  await sink.close();
  await down.close();
});

// Only a stuck child meets it; it must allow for tsx starting three children at
// once on a loaded machine.
const GUARD_MS = 30_000;

async function run(mode: string, collectorUrl: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const child = spawn(process.execPath, ['--conditions=closewatch-source', '--import', 'tsx', fixture, collectorUrl, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), GUARD_MS);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, stdout };
}

test('the SDK never keeps a process alive: collector unreachable, an event in flight or waiting for its retry', async () => {
  const result = await results.natural;
  assert.equal(result.signal, null, 'not killed by the guard');
  assert.equal(result.code, 0);
  assert.equal(result.stdout, 'pending\n{"queued":0,"inFlight":1,"delivered":0}\n');
});

test('flushOnExit: the queue is flushed when the event loop empties', async () => {
  const result = await results['before-exit'];
  assert.equal(result.signal, null, 'not killed by the guard');
  assert.equal(result.code, 0);
  assert.equal(result.stdout, 'pending\n');
  assert.deepEqual(sink.events.filter((e) => e.service === 'exit-before-exit').map((e) => e.reason), ['before-exit']);
});

test('flushOnExit: SIGTERM flushes the queue, then the process still dies of SIGTERM', async () => {
  const result = await results.sigterm;
  assert.equal(result.signal, 'SIGTERM');
  assert.equal(result.code, null);
  assert.equal(result.stdout, 'pending\n');
  assert.deepEqual(sink.events.filter((e) => e.service === 'exit-sigterm').map((e) => e.reason), ['sigterm']);
});

import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

// Workers run from the same kind of file as this one: .ts under tsx, .js when built.
const RUNNING_FROM_SOURCE = extname(fileURLToPath(import.meta.url)) === '.ts';

/**
 * Starts one of storage's worker threads (`name` is its module next to this file).
 * Worker threads do not inherit tsx's loader hooks, so from source the thread
 * registers them first.
 */
export function spawnStorageWorker(name: string, workerData: unknown, resourceLimits: ResourceLimits = {}): Worker {
  const url = new URL(`./${name}${RUNNING_FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);
  if (!RUNNING_FROM_SOURCE) return new Worker(url, { workerData, resourceLimits });
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}

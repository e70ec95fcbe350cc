import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../src/storage/database-url.js';
import { childEnv, postEvents, startCollectorProcess, storedEventIds } from '../helpers/collector-process.js';
import { readDockerfile, type Copy, type Stage } from '../helpers/dockerfile.js';
import { makeEvent } from '../helpers/events.js';

// CI has no Docker engine, so this runs the image's own steps outside Docker, each stage
// in a folder standing for its /app: the build stage is this checkout (its `npm ci`
// ran the postinstall build), the deps stage runs its RUN steps for real (a production
// install from the registry), and the image is assembled by the Dockerfile's COPY steps
// and started with its ENTRYPOINT and CMD. Root-only steps (apt-get, chown) are checked
// by their text and stood in for: tini comes from Debian (.ci/run installs it). On Node.js
// 20 the step that puts better-sqlite3 13 in is stood in for too (13 needs 22 or later);
// CI's Node.js 24 run, the image's Node.js, runs every step as written.

const run = promisify(execFile);
const KEY = 'cw_image_key_0123456789abcdef';
const READ_TOKEN = 'cw_image_read_0123456789abcdef';
/** The deps stage's step that puts better-sqlite3 13 in (it needs Node.js 22 or later; the image has 24). */
const SWAP_SQLITE = 'sh scripts/better-sqlite3-13.sh node_modules';
const ON_IMAGE_NODE = Number(process.versions.node.split('.')[0]) >= 22;
const dockerfile = readDockerfile();
const build = dockerfile.stage('build');
const deps = dockerfile.stage('deps');
const image = dockerfile.final;

let dir: string;
const roots = new Map<string | null, string>();

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'closewatch-image-'));
  roots.set('build', REPO_ROOT);
  roots.set('deps', join(dir, 'deps'));
  roots.set(null, join(dir, 'image'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Where a path of a stage's file system lies here (only /app exists). */
function local(stageRoot: string, workdir: string, path: string): string {
  const absolute = path.startsWith('/') ? path : `${workdir}/${path}`;
  if (!absolute.startsWith('/app')) throw new Error(`the image test only maps /app, not ${path}`);
  return join(stageRoot, absolute.slice('/app'.length));
}

/** A COPY as Docker does it: a folder's contents into the destination, a file into a destination ending in `/`. */
function copy(step: Copy, stage: Stage, stageRoot: string): void {
  for (const source of step.sources) {
    const from = step.from === null ? join(REPO_ROOT, source) : local(roots.get(step.from) as string, '/app', source);
    if (!existsSync(from)) throw new Error(`COPY ${step.from ? `--from=${step.from} ` : ''}${source}: ${from} does not exist (did npm install build it?)`);
    const dest = local(stageRoot, stage.workdir, step.dest);
    const target = statSync(from).isDirectory() || !(step.dest.endsWith('/') || step.sources.length > 1) ? dest : join(dest, basename(from));
    mkdirSync(dirname(target), { recursive: true });
    // Workspace links in node_modules stay relative links, as COPY keeps them.
    cpSync(from, target, { recursive: true, verbatimSymlinks: true });
  }
}

test('the Dockerfile: Node.js 24 LTS, three stages, the image runs as `node` under tini with its healthcheck on /readyz', () => {
  assert.deepEqual(dockerfile.stages.map((s) => s.name), ['build', 'deps', null]);
  // One base for every stage, so the native module built in one runs in the others.
  assert.deepEqual(dockerfile.stages.map((s) => s.from), ['node:24-bookworm-slim', 'node:24-bookworm-slim', 'node:24-bookworm-slim']);
  assert.equal(image.user, 'node');
  assert.deepEqual(image.entrypoint, ['/usr/bin/tini', '--']);
  assert.deepEqual(image.cmd, ['node', '--max-semi-space-size=32', 'server/dist/server.js']);
  // `npm start` runs the collector with the same V8 flags as the image.
  const start = (JSON.parse(readFileSync(join(REPO_ROOT, 'server/package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;
  assert.equal(start, `${image.cmd.slice(0, -1).join(' ')} dist/server.js`);
  assert.equal(image.env.HOST, '0.0.0.0');
  assert.equal(image.env.NODE_ENV, 'production');
  assert.deepEqual(image.volumes, ['/app/data']);
  assert.match(image.healthcheck.join(' '), /\/readyz/);
  assert.deepEqual(deps.steps.filter((s) => 'run' in s).map((s) => 'run' in s && s.run), [
    'npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --workspace=@closewatch/server',
    SWAP_SQLITE,
  ]);
  // The build stage is what `npm install` does here; the root-only steps of the image, stood in for below.
  assert.deepEqual(build.steps.filter((s) => 'run' in s).map((s) => 'run' in s && s.run), [
    'apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*',
    'npm ci --no-audit --no-fund',
  ]);
  assert.deepEqual(image.steps.filter((s) => 'run' in s).map((s) => 'run' in s && s.run), [
    'apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*',
    'mkdir -p /app/data && chown node:node /app/data',
  ]);
});

test("the image's start path: production install, the build, the CMD; /readyz, the healthcheck, ingest and read, the dashboard, SIGTERM", async (t) => {
  // The build: what the build stage's `npm ci` postinstall made, brought up to date with the sources.
  await run(process.execPath, [join(REPO_ROOT, 'scripts/build-if-stale.mjs')], { cwd: REPO_ROOT, env: childEnv({ HOME: process.env.HOME ?? dir }) });

  const depsRoot = roots.get('deps') as string;
  mkdirSync(depsRoot, { recursive: true });
  for (const step of deps.steps) {
    if ('copy' in step) copy(step.copy, deps, depsRoot);
    else if (step.run === SWAP_SQLITE && !ON_IMAGE_NODE) {
      // better-sqlite3 13 does not run on Node.js 20: stand in the locked 11.x this checkout compiled.
      t.diagnostic(`Node.js ${process.version}: "${SWAP_SQLITE}" left out, the locked better-sqlite3 kept (CI's Node.js 24 run does it)`);
      cpSync(join(REPO_ROOT, 'node_modules/better-sqlite3/build'), join(depsRoot, 'node_modules/better-sqlite3/build'), { recursive: true });
    }
    // The deps stage's RUN steps run as written: a production install with the registry's packages.
    else await run('sh', ['-c', step.run], { cwd: depsRoot, env: childEnv({ HOME: process.env.HOME ?? dir }), maxBuffer: 16 * 1024 * 1024 });
  }

  const imageRoot = roots.get(null) as string;
  mkdirSync(imageRoot, { recursive: true });
  for (const step of image.steps) if ('copy' in step) copy(step.copy, image, imageRoot);
  mkdirSync(join(imageRoot, 'data'));
  assert.ok(existsSync('/usr/bin/tini'), 'tini is installed (apt-get install tini; .ci/run does it)');

  // Production dependencies only: no compiler, loader, bundler or test tool came along.
  const modules = join(imageRoot, 'node_modules');
  assert.deepEqual(['typescript', 'tsx', 'esbuild', 'vite', 'vitest', '@playwright/test', '@sparticuz/chromium', 'dclint'].filter((m) => existsSync(join(modules, m))), []);
  const sqlite = JSON.parse(readFileSync(join(modules, 'better-sqlite3/package.json'), 'utf8')) as { version: string };
  assert.match(sqlite.version, ON_IMAGE_NODE ? /^13\./ : /^11\./);

  const env: Record<string, string> = {
    ...image.env,
    DATABASE_URL: `file:${local(imageRoot, '/app', image.env.DATABASE_URL?.slice('file:'.length) ?? '')}`,
    PORT: '0',
    HOME: join(dir, 'home'),
    CLOSEWATCH_INGEST_KEY: KEY,
    CLOSEWATCH_READ_TOKEN: READ_TOKEN,
    CLOSEWATCH_ADMIN_PASSWORD: 'image-test-password',
    LOG_LEVEL: 'warn',
  };
  const collector = await startCollectorProcess({ command: [...image.entrypoint, ...image.cmd], cwd: imageRoot, env });
  try {
    assert.ok(existsSync(join(imageRoot, 'data', 'closewatch.db')), 'the database is in the volume folder');
    assert.equal((await fetch(`${collector.url}/readyz`)).status, 200);
    const port = new URL(collector.url).port;
    const [program, ...args] = image.healthcheck;
    assert.equal(program, 'node');
    await run(process.execPath, args, { env: childEnv({ ...image.env, PORT: port }) });

    const event = makeEvent({ code: 1011, reason: 'image start path' });
    assert.equal(await postEvents(collector.url, KEY, [event]), 200);
    const now = Date.now();
    assert.deepEqual(await storedEventIds(collector.url, READ_TOKEN, now - 3_600_000, now + 60_000), [event.id]);

    const page = await fetch(`${collector.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /<div id="root">/);
  } finally {
    // SIGTERM to tini, which hands it to Node.js: a clean drain and exit 0.
    assert.deepEqual(await collector.stop('SIGTERM'), { code: 0, signal: null }, collector.output());
  }
  assert.doesNotMatch(collector.output(), /tsx|ExperimentalWarning/);
  execFileSync('test', ['-f', join(imageRoot, 'data', 'closewatch.db')]);
});

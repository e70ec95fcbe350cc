// Run before `npm start`, `npm run keys`, `npm run backup` and `npm run demo`: they run the
// compiled JavaScript, so a part whose build is missing (an install with --ignore-scripts)
// or older than its sources (a pull, an edit) is built first. Nothing to do costs a few
// milliseconds; a server rebuild about 20 s. The image has no sources and skips this.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** In build order: the server compiles against the SDK's declarations. */
const PARTS = [
  { workspace: '@closewatch/sdk', output: 'sdk/dist/index.js', sources: ['sdk/src', 'sdk/tsconfig.build.json'] },
  {
    workspace: '@closewatch/server',
    output: 'server/dist/server.js',
    sources: ['server/src', 'server/tsconfig.build.json', 'prisma/schema.prisma'],
  },
  { workspace: '@closewatch/web', output: 'web/dist/index.html', sources: ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts'] },
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function run(args) {
  const result = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

let rebuildRest = false;
for (const part of PARTS) {
  const output = join(root, part.output);
  const sources = part.sources.map((s) => join(root, s));
  if (!sources.some((s) => existsSync(s))) continue; // an installed image: only the build is there
  const built = existsSync(output) ? statSync(output).mtimeMs : 0;
  const stale = built === 0 || Math.max(...sources.map(newestMtime)) > built;
  if (!stale && !rebuildRest) continue;
  process.stderr.write(`closewatch: ${built === 0 ? 'building' : 'rebuilding'} ${part.workspace} (${built === 0 ? 'no build yet' : 'sources changed'}) ...\n`);
  // The Prisma client is compiled into the server: generate it when missing or older than the schema.
  const client = join(root, 'server/src/generated/prisma/client.ts');
  if (part.workspace === '@closewatch/server' && newestMtime(client) < newestMtime(join(root, 'prisma/schema.prisma'))) run(['run', 'db:generate']);
  run(['run', 'build', '-w', part.workspace]);
  // A rebuilt SDK changes what the server and the dashboard compile against.
  rebuildRest ||= part.workspace === '@closewatch/sdk';
}

// `npm run dev`: the collector (restarted on change by tsx watch) and Vite's dev server
// with its proxy to the collector, in one terminal; Ctrl-C stops both. Open Vite's URL
// and sign in with the admin password the collector printed at its first start.
import { spawn } from 'node:child_process';

// Vite's proxy goes to the collector started here: same PORT and HOST unless told otherwise.
const host = !process.env.HOST || process.env.HOST === '0.0.0.0' || process.env.HOST === '::' ? '127.0.0.1' : process.env.HOST;
const env = {
  ...process.env,
  CLOSEWATCH_COLLECTOR: process.env.CLOSEWATCH_COLLECTOR ?? `http://${host.includes(':') ? `[${host}]` : host}:${process.env.PORT ?? '8080'}`,
};

const procs = [
  ['collector', 'npx', ['tsx', 'watch', '--conditions=closewatch-source', 'server/src/server.ts']],
  ['dashboard', 'npm', ['run', 'dev', '-w', '@closewatch/web']],
].map(([name, cmd, args]) => {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const prefix = (stream, out) =>
    stream.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line) out.write(`[${name}] ${line}\n`);
    });
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code) => {
    process.stderr.write(`[${name}] exited with ${code}; stopping\n`);
    shutdown(code ?? 1);
  });
  return child;
});

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const p of procs) p.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

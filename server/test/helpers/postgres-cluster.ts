import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's `postgresql` package puts the server binaries (.ci/run installs it); PG_BIN overrides. */
export function postgresBinDir(): string {
  const candidates = [process.env.PG_BIN, '/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
  for (const dir of candidates) if (dir !== undefined && dir !== '' && existsSync(join(dir, 'pg_ctl'))) return dir;
  throw new Error('PostgreSQL is not installed: apt-get install postgresql (or set PG_BIN to the folder holding initdb and pg_ctl)');
}

export interface PostgresCluster {
  /** Connection URL of the cluster's `postgres` database as the superuser `cw`. */
  adminUrl: string;
  port: number;
  /** URL of a database of this cluster. */
  urlOf(database: string): string;
  /** Fast shutdown, then the folder is removed. */
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root (the server refuses to run as root). */
function runAs(bin: string, args: string[], asPostgres: boolean): void {
  if (!asPostgres) {
    execFileSync(bin, args, { stdio: 'pipe' });
    return;
  }
  const quoted = [bin, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { stdio: 'pipe' });
}

/**
 * A throwaway PostgreSQL cluster in a temporary folder on a free port: never the system
 * service. Trust authentication on 127.0.0.1 and the folder's socket only.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'closewatch-pg-'));
  if (root) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  runAs(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'cw', '--no-sync', '-E', 'UTF8', '--locale=C'], root);
  let port = 0;
  // A port found free can be taken before the server binds it: try another then.
  for (let attempt = 1; ; attempt += 1) {
    port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_buffers=128MB`;
    try {
      runAs(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start'], root);
      break;
    } catch (error) {
      const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
      if (attempt < 5 && /could not bind|Address already in use/.test(log)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`PostgreSQL did not start: ${String(error)}\n${log}`);
    }
  }
  const urlOf = (database: string): string => `postgresql://cw@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    adminUrl: urlOf('postgres'),
    port,
    urlOf,
    stop() {
      if (stopped) return;
      stopped = true;
      // Stop before deleting: a server whose folder was deleted keeps running.
      if (root) spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', `'${join(bin, 'pg_ctl')}' -D '${data}' -m immediate -w stop`], { stdio: 'ignore' });
      else spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

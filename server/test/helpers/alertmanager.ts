import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Alertmanager binary: ALERTMANAGER_PATH, or Debian's `prometheus-alertmanager` (.ci/run installs it). */
export function alertmanagerBinary(): string {
  const candidates = [process.env.ALERTMANAGER_PATH, 'prometheus-alertmanager', 'alertmanager'].filter((c): c is string => c !== undefined && c !== '');
  for (const c of candidates) if (spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0) return c;
  throw new Error('Alertmanager is not installed: apt-get install prometheus-alertmanager (or set ALERTMANAGER_PATH)');
}

export interface Alertmanager {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real Alertmanager in a temporary folder on a port it picks itself (read back from
 * its log), with a throwaway config whose one receiver is `webhookUrl` (resolved
 * notifications included, grouping waits of 1 s).
 */
export async function startAlertmanager(webhookUrl: string): Promise<Alertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'closewatch-am-'));
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    [
      'route:',
      '  receiver: closewatch-test',
      '  group_by: [alertname, service]',
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: closewatch-test',
      '    webhook_configs:',
      `      - url: ${webhookUrl}`,
      '        send_resolved: true',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    alertmanagerBinary(),
    [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0', '--cluster.listen-address='],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Alertmanager did not listen within 15 s:\n${log}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const match = /msg="Listening on" address=(127\.0\.0\.1:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Alertmanager exited with ${code}:\n${log}`));
    });
  });
  // The API answers a moment after the listener is up.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await fetch(`${url}/api/v2/status`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`Alertmanager's API did not answer within 15 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

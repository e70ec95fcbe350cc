import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Which Chromium the browser tests drive, resolved once per run by the global setup:
 * `CHROMIUM_PATH` when it is set, else the Chromium packaged in `@sparticuz/chromium`
 * (an npm devDependency, so `npm install` is all a machine needs). The global setup
 * puts the path in `CHROMIUM_ENV`; the Playwright workers, started after it, read it
 * from there in playwright.config.ts.
 */
export const CHROMIUM_ENV = 'CLOSEWATCH_E2E_CHROMIUM';

/** Headless, no sandbox (containers run as root), nothing that talks to Google. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ResolvedChromium {
  executablePath: string;
  /** Where it came from, for the log line of the run. */
  source: string;
}

/**
 * Unpacks the packaged Chromium (once per checkout and package version) and returns
 * its path. `@sparticuz/chromium` always unpacks into `os.tmpdir()` and reuses any
 * `chromium` file it finds there, whatever its version; so it unpacks here into a
 * fresh folder of its own (TMPDIR pointed at it for the call), which is then renamed
 * into node_modules/.cache in one step: an interrupted unpack never leaves a
 * half-written browser that a later run would take for a finished one.
 */
async function packagedChromium(): Promise<ResolvedChromium> {
  const require = createRequire(import.meta.url);
  const packageDir = join(dirname(require.resolve('@sparticuz/chromium')), '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const cacheRoot = join(REPO_ROOT, 'node_modules', '.cache', 'closewatch-chromium');
  const target = join(cacheRoot, version);
  const source = `@sparticuz/chromium ${version}`;
  if (existsSync(join(target, 'chromium'))) return { executablePath: join(target, 'chromium'), source };

  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(join(cacheRoot, `.unpack-${version}-`));
  const previousTmpdir = process.env.TMPDIR;
  try {
    process.env.TMPDIR = staging;
    const { default: chromium } = await import('@sparticuz/chromium');
    const unpacked = await chromium.executablePath();
    if (unpacked !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, expected ${join(staging, 'chromium')}`);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
  }
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another run finished first: keep its copy.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(target, 'chromium'))) throw error;
  }
  return { executablePath: join(target, 'chromium'), source };
}

export async function resolveChromium(env: NodeJS.ProcessEnv = process.env): Promise<ResolvedChromium> {
  const override = env.CHROMIUM_PATH;
  if (override !== undefined && override !== '') {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH is set to ${override}, which does not exist; unset it to use the packaged Chromium`);
    return { executablePath: override, source: 'CHROMIUM_PATH' };
  }
  return packagedChromium();
}

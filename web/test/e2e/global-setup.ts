import { CHROMIUM_ENV, resolveChromium } from './chromium.js';

/** Resolves the browser once, before any worker starts; workers inherit the variable. */
export default async function globalSetup(): Promise<void> {
  const { executablePath, source } = await resolveChromium();
  process.env[CHROMIUM_ENV] = executablePath;
  process.stdout.write(`browser tests: Chromium from ${source} at ${executablePath}\n`);
}

import { defineConfig } from '@playwright/test';

import { CHROMIUM_ARGS, CHROMIUM_ENV } from './test/e2e/chromium.js';

/**
 * Browser end-to-end tests: real Chromium (`CHROMIUM_PATH`, else the one packaged in
 * the `@sparticuz/chromium` devDependency; never a browser downloaded by Playwright),
 * a real collector started per test file, real HTTP and WebSockets. Screenshots of the
 * overview land in ../artifacts/.
 */
export default defineConfig({
  testDir: './test/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: '../artifacts/playwright',
  use: {
    headless: true,
    viewport: { width: 1280, height: 900 },
    // The page sees the same clock zone, language and theme whatever the caller's shell says.
    timezoneId: 'UTC',
    locale: 'en-US',
    colorScheme: 'light',
    launchOptions: {
      // Set by the global setup before the workers start; unset only in the runner
      // process, which launches no browser.
      executablePath: process.env[CHROMIUM_ENV],
      args: [...CHROMIUM_ARGS],
    },
    trace: 'off',
    // Deadlines for every action and navigation, not only for the test.
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
});

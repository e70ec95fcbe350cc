import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Dates in tests are written in UTC; pin the zone so local-time formatting is stable.
process.env.TZ = 'UTC';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
    conditions: ['closewatch-source', ...defaultClientConditions],
  },
  test: {
    // The dashboard reads VITE_* variables from the environment (and .env files); the
    // tests expect the defaults, whatever the caller's shell has set.
    env: { VITE_COLLECTOR_URL: '', VITE_DEV_PROXY_TARGET: '' },
    environment: 'jsdom',
    // A deadline, not a speed target: generous enough for a loaded 2-core machine.
    testTimeout: 30_000,
    setupFiles: ['./test/setup.ts'],
    include: ['test/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});

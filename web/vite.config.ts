import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// The collector the dev server forwards API calls to; the dashboard itself always
// talks to its own origin so the same build works behind the collector in production.
const collector = process.env.CLOSEWATCH_COLLECTOR ?? 'http://127.0.0.1:8080';

export default defineConfig(({ command }) => ({
  plugins: [react()],
  // In dev the browser only sees the proxy; telling it the real target lets error
  // messages name the collector the operator has to start.
  define:
    command === 'serve'
      ? { 'import.meta.env.VITE_DEV_PROXY_TARGET': JSON.stringify(collector) }
      : {},
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
    // `closewatch-source` first: workspace packages resolve to their TypeScript source,
    // so the dashboard never runs against a stale sdk/dist build.
    conditions: ['closewatch-source', ...defaultClientConditions],
  },
  server: {
    proxy: {
      '/api': { target: collector, ws: true },
      '/healthz': collector,
      '/readyz': collector,
    },
  },
  preview: {
    proxy: {
      '/api': { target: collector, ws: true },
      '/healthz': collector,
      '/readyz': collector,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // recharts (and its d3 helpers) change far less often than the app code:
            // a chunk of their own stays cached across dashboard releases.
            { name: 'charts', test: /node_modules[\\/](recharts|d3-|victory-vendor|decimal\.js-light|es-toolkit|@reduxjs|immer|reselect|react-redux|redux|use-sync-external-store|eventemitter3|tiny-invariant)/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|@tanstack)[\\/]/ },
          ],
        },
      },
    },
  },
}));

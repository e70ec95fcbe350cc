import type { ClientRequest, IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type ProxyOptions } from 'vite';

// The collector the dev server forwards API calls to; the dashboard itself always
// talks to its own origin so the same build works behind the collector in production.
const collector = process.env.CLOSEWATCH_COLLECTOR ?? 'http://127.0.0.1:8080';
const collectorOrigin = new URL(collector).origin;

/**
 * The collector takes the live socket (and changes made with the session cookie) only
 * from its own origin, and the page's origin here is the dev server's. A request from a
 * page of this dev server is passed on as if from the collector's own origin; a page of
 * any other site keeps its Origin, so the collector still refuses it (no CSRF through
 * the proxy). Cookies need nothing: the collector sets them without a Domain, so the
 * browser keeps them for the dev server's host.
 */
function speakForOwnPages(proxyReq: ClientRequest, req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined || proxyReq.headersSent) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return;
  }
  if (host === req.headers.host) proxyReq.setHeader('origin', collectorOrigin);
}

const apiProxy: ProxyOptions = {
  target: collector,
  ws: true,
  changeOrigin: true,
  configure: (proxy) => {
    proxy.on('proxyReq', speakForOwnPages);
    proxy.on('proxyReqWs', speakForOwnPages);
  },
};
const proxy = { '/api': apiProxy, '/healthz': collector, '/readyz': collector };

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
  server: { proxy },
  preview: { proxy },
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

/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the collector; empty means the origin that serves the dashboard. */
  readonly VITE_COLLECTOR_URL?: string;
  /** Set by vite.config.ts in dev: where the dev server proxies `/api` to. */
  readonly VITE_DEV_PROXY_TARGET?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

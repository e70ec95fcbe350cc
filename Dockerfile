# closewatch: the collector and the dashboard, compiled, on the current Node.js LTS.
#
#   docker build -t closewatch .
#   docker run -p 8080:8080 -v closewatch-data:/app/data closewatch
#
# or `docker compose up` (docker-compose.yml). tini is the entrypoint, so SIGTERM from
# `docker stop` reaches Node.js and the collector drains before it exits; no --init needed.
# server/test/ops/image-start.test.ts runs this file's install, COPY and CMD steps outside
# Docker (CI has no Docker engine): keep the two in step.

ARG NODE_IMAGE=node:24-bookworm-slim

# 1. build: every dependency, then the SDK, the Prisma client, the server and the dashboard.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json prisma.config.ts tsconfig.base.json ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY sdk ./sdk
COPY server ./server
COPY web ./web
# postinstall: prisma generate, then npm run build (sdk/dist, server/dist, web/dist).
RUN npm ci --no-audit --no-fund

# 2. deps: the server's production dependencies only (optional peers such as typescript
#    left out too; the dashboard is static files), without install scripts. better-sqlite3
#    is then 13 in place of the locked 11.x, which aborts on Node.js 24 (see the script);
#    13 ships its native binary prebuilt, so this stage compiles nothing.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY sdk/package.json ./sdk/
COPY server/package.json ./server/
COPY web/package.json ./web/
COPY scripts/better-sqlite3-13.sh ./scripts/
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --workspace=@closewatch/server
RUN sh scripts/better-sqlite3-13.sh node_modules

# 3. the image: production dependencies and compiled JavaScript, run as the unprivileged `node` user.
FROM ${NODE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DATABASE_URL=file:/app/data/closewatch.db
COPY --from=deps /app/node_modules ./node_modules
COPY package.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/build-if-stale.mjs ./scripts/
COPY sdk/package.json ./sdk/
COPY --from=build /app/sdk/dist ./sdk/dist
COPY server/package.json ./server/
COPY --from=build /app/server/dist ./server/dist
COPY web/package.json ./web/
COPY --from=build /app/web/dist ./web/dist
# The database lives in the volume; a new named volume takes this folder's owner.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8080
# /readyz: the database answers, every migration is applied, the writer takes writes.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# Applies pending migrations, then serves the collector and the dashboard on PORT. A 32 MB
# young generation (V8's default is 16): ingest allocates a parsed batch per request, and
# two collectors on PostgreSQL took 3-22% more events a second with it (README, Production build).
CMD ["node", "--max-semi-space-size=32", "server/dist/server.js"]

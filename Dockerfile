# syntax=docker/dockerfile:1
# Affix API: one image for `affix serve`, `affix worker` and the one-shot commands (docs/deploy.md).
#
# Build stage: production dependencies only (`npm ci --omit=dev`), with the compiler toolchain better-sqlite3
# needs when no prebuilt binary matches. Runtime stage: the same node_modules and the sources (run through tsx,
# a production dependency), no toolchain, no npm cache, as the unprivileged `node` user.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()" \
 && npm cache clean --force
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    AFFIX_ENV=prod \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=32768 \
    MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# `affix healthcheck` without loading the server's modules: GET /readyz (the worker's service overrides it with
# `--worker`, which checks its heartbeat file instead).
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "bin/affix-healthcheck.js"]
ENTRYPOINT ["node", "bin/affix.js"]
CMD ["serve"]

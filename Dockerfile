# One image for the API, the worker and the migration job (docker-compose.yml picks the command).
# No build step: the services run TypeScript with tsx. Prisma needs no native engines (the schema
# engine runs as WebAssembly, the client uses the query compiler), so nothing is downloaded from
# Prisma's binary host.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    CHECKPOINT_DISABLE=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# The base image's unprivileged `node` user (uid 1000) owns the app directory and runs everything.
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
USER node

# Dependencies first, so this layer is rebuilt only when the manifests or the Prisma schema change.
# `npm install` (not `npm ci`: the lock file omits other platforms' optional packages, which
# `npm ci` rejects) runs the postinstall `bash scripts/prisma.sh generate`, which needs the schema, the
# config and the script. The engine variables stop @prisma/engines' own postinstall from fetching
# native engines. Dev dependencies (vitest, eslint, typescript) are not needed to run the services.
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node prisma ./prisma
COPY --chown=node:node prisma.config.ts ./
COPY --chown=node:node scripts/prisma.sh ./scripts/prisma.sh
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/false PRISMA_QUERY_ENGINE_LIBRARY=/bin/false \
    npm install --omit=dev --no-audit --no-fund \
    && npm cache clean --force

# The rest of the source (.dockerignore keeps node_modules, generated/ and local data out, so the
# client generated above stays).
COPY --chown=node:node . .

EXPOSE 3000

# For the API (the default command). docker-compose.yml disables it for the worker and migrate.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["npm", "run", "api"]
